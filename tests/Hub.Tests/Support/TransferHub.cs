using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Grpc.Net.Client;
using LxAnnotate.Hub.Authentication;
using LxAnnotate.Hub.Data;
using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Hosting;
using LxAnnotate.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ProtoTransfer = LxAnnotate.Shared.Protos.V1.Transfer;

namespace LxAnnotate.Hub.Tests.Support;

/// <summary>
/// The real hub (Kestrel, TLS, client certificates, Unix socket) running in the test process on loopback
/// ports, standalone on SQLite or central_hub on PostgreSQL.
/// </summary>
internal sealed class TransferHub : IAsyncDisposable
{
    private readonly List<GrpcChannel> channels = [];
    private readonly PostgresTestDatabase? postgres;

    private TransferHub(TempDirectory root, TestPki pki, WebApplication app, PostgresTestDatabase? postgres, CapturingLoggerProvider logs, int transferPort, string socketPath)
    {
        Root = root;
        Pki = pki;
        App = app;
        this.postgres = postgres;
        Logs = logs;
        TransferPort = transferPort;
        SocketPath = socketPath;
    }

    public TempDirectory Root { get; }

    public TestPki Pki { get; }

    public WebApplication App { get; }

    public CapturingLoggerProvider Logs { get; }

    public int TransferPort { get; }

    public string SocketPath { get; }

    public string StorageDir => Path.Combine(Root.Path, "storage");

    /// <summary>
    /// Starts a hub on fresh loopback ports. A port another process took between <see cref="FreePort.Next"/> and
    /// the bind is retried with new ports (twice at most).
    /// </summary>
    public static async Task<TransferHub> StartAsync(bool centralHub = false, IReadOnlyDictionary<string, string?>? extra = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartOnceAsync(centralHub, extra);
            }
            catch (IOException ex) when (attempt < 3 && ex.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
            {
            }
        }
    }

    private static async Task<TransferHub> StartOnceAsync(bool centralHub, IReadOnlyDictionary<string, string?>? extra)
    {
        var root = new TempDirectory();
        var pki = new TestPki();
        var (certFile, keyFile) = TestPki.WritePem(pki.IssueServer(), root.Path, "hub");
        var transferPort = FreePort.Next();
        var socket = Path.Combine(root.Path, "run", "hub.sock");
        var postgres = centralHub ? await PostgresTestDatabase.CreateAsync() : null;
        using var jwks = new TestJwks();
        var settings = new Dictionary<string, string?>
        {
            ["ENDOREG_DEPLOYMENT_ROLE"] = centralHub ? "central_hub" : "standalone",
            ["LX_ANNOTATE_ENCRYPTED_DATA_DIR"] = root.Path,
            ["LX_ANNOTATE_MASTER_KEY"] = centralHub ? TestMasterKey.NewEncoded() : null,
            ["LX_ANNOTATE_DEFAULT_CENTER"] = "center-a",
            ["DATABASE_URL"] = postgres?.Url,
            ["LXA_HUB_API_URL"] = $"http://127.0.0.1:{FreePort.Next()}",
            ["LXA_HUB_TRANSFER_URL"] = $"https://127.0.0.1:{transferPort}",
            ["LXA_HUB_LOCAL_SOCKET"] = socket,
            ["LXA_HUB_TLS_CERT_FILE"] = certFile,
            ["LXA_HUB_TLS_KEY_FILE"] = keyFile,
            ["LXA_HUB_NODE_CA_FILE"] = pki.WriteCaPem(root.Path),
            ["OIDC_ISSUER"] = centralHub ? "https://idp.test/realms/lx" : null,
            ["OIDC_AUDIENCE"] = centralHub ? "lx-annotate" : null,
            ["OIDC_JWKS_FILE"] = centralHub ? jwks.WriteFile(root.Path) : null,
            ["ENFORCE_AUTH"] = centralHub ? null : "0",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var logs = new CapturingLoggerProvider();
        var app = HubServer.Build(settings, builder => builder.Logging.AddProvider(logs));
        try
        {
            app.Services.GetRequiredService<LxAnnotate.Shared.Configuration.DataPaths>().EnsureCreated();
            await using (var scope = app.Services.CreateAsyncScope())
            {
                await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);
            }

            await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch
        {
            await app.DisposeAsync();
            if (postgres is not null)
            {
                await postgres.DisposeAsync();
            }

            pki.Dispose();
            root.Dispose();
            throw;
        }

        return new TransferHub(root, pki, app, postgres, logs, transferPort, socket);
    }

    public async Task<Center> AddCenterAsync(string centerKey)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LxaDbContext>();
        var center = new Center { CenterKey = centerKey, Name = centerKey, CreatedAt = DateTimeOffset.UtcNow };
        db.Centers.Add(center);
        await db.SaveChangesAsync();
        return center;
    }

    /// <summary>Registers a node of <paramref name="centerKey"/> with a certificate issued by the hub's node CA.</summary>
    public async Task<X509Certificate2> AddNodeAsync(string nodeKey, string centerKey, bool active = true, bool revoked = false, X509Certificate2? certificate = null)
    {
        certificate ??= Pki.IssueNode(nodeKey);
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LxaDbContext>();
        var center = db.Centers.Single(c => c.CenterKey == centerKey);
        var node = new NetworkNode { NodeKey = nodeKey, Role = "site_node", OwningCenterId = center.Id, IsActive = active, CreatedAt = DateTimeOffset.UtcNow };
        node.Certificates.Add(new NodeCertificate
        {
            ThumbprintSha256 = NodeCertificateAuthentication.Sha256Thumbprint(certificate),
            SerialNumber = certificate.SerialNumber,
            Subject = certificate.Subject,
            NotBefore = certificate.NotBefore.ToUniversalTime(),
            NotAfter = certificate.NotAfter.ToUniversalTime(),
            Status = revoked ? NodeCertificateStatus.Revoked : NodeCertificateStatus.Active,
            RevokedAt = revoked ? DateTimeOffset.UtcNow : null,
            CreatedAt = DateTimeOffset.UtcNow,
        });
        db.NetworkNodes.Add(node);
        await db.SaveChangesAsync();
        return certificate;
    }

    public async Task<T> WithDbAsync<T>(Func<LxaDbContext, Task<T>> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        await using var scope = App.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<LxaDbContext>());
    }

    /// <summary>A client on the mTLS transfer listener; <paramref name="clientCertificate"/> null sends none.</summary>
    public ProtoTransfer.TransferClient Client(X509Certificate2? clientCertificate) => new(Channel(clientCertificate));

    /// <summary>A channel to the mTLS transfer listener; <paramref name="clientCertificate"/> null sends none.</summary>
    public GrpcChannel Channel(X509Certificate2? clientCertificate)
    {
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = clientCertificate is null ? null : [clientCertificate],
                RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null && Pki.Validates(new X509Certificate2(certificate)),
            },
        };
        var channel = GrpcChannel.ForAddress($"https://127.0.0.1:{TransferPort}", new GrpcChannelOptions { HttpHandler = handler });
        channels.Add(channel);
        return channel;
    }

    /// <summary>A client on the hub's Unix socket (the trusted local drop zone).</summary>
    public ProtoTransfer.TransferClient LocalClient()
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        var channel = GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions { HttpHandler = handler });
        channels.Add(channel);
        return new ProtoTransfer.TransferClient(channel);
    }

    public IReadOnlyList<string> StoredFiles() =>
        Directory.EnumerateFiles(StorageDir, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(StorageDir, f))
            .Where(f => f.StartsWith("centers", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();

    public IReadOnlyList<string> IncomingFiles() =>
        Directory.Exists(Path.Combine(StorageDir, "incoming"))
            ? Directory.EnumerateFiles(Path.Combine(StorageDir, "incoming")).Where(f => !Path.GetFileName(f).StartsWith('.')).ToList()
            : [];

    public async ValueTask DisposeAsync()
    {
        foreach (var channel in channels)
        {
            channel.Dispose();
        }

        await App.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await App.DisposeAsync();
        if (postgres is not null)
        {
            await postgres.DisposeAsync();
        }

        Pki.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Root.Dispose();
    }
}
