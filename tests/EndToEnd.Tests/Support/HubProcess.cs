using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography;
using Grpc.Net.Client;
using LxAnnotate.Hub.Data;
using LxAnnotate.Hub.Domain;
using LxAnnotate.Shared.Configuration;
using LxAnnotate.TestSupport;
using ProtoTransfer = LxAnnotate.Shared.Protos.V1.Transfer;

namespace LxAnnotate.EndToEnd.Tests.Support;

/// <summary>
/// The real <c>lxa-hub serve</c> binary as a child process: central_hub on a fresh PostgreSQL database,
/// certificates made at test time, loopback ports. It can be killed (SIGKILL) and started again.
/// </summary>
internal sealed class HubProcess : IAsyncDisposable
{
    private readonly Dictionary<string, string?> environment;
    private readonly PostgresTestDatabase? database;

    /// <summary>The connection string of a database the test brought (<see cref="StartAsync"/>'s <c>externalDatabase</c>).</summary>
    private readonly string? externalConnectionString;
    private readonly List<GrpcChannel> channels = [];

    /// <summary>For a replica: the hub whose database, data root and PKI it shares (and leaves to it to dispose).</summary>
    private readonly HubProcess? first;
    private ChildProcess? process;

    private HubProcess(TempDirectory root, TestPki pki, PostgresTestDatabase? database, Dictionary<string, string?> environment, int apiPort, int transferPort, HubProcess? first = null, string? externalConnectionString = null)
    {
        this.externalConnectionString = externalConnectionString;
        this.first = first;
        Root = root;
        Pki = pki;
        this.database = database;
        this.environment = environment;
        ApiPort = apiPort;
        TransferPort = transferPort;
    }

    public TempDirectory Root { get; }

    public TestPki Pki { get; }

    public int ApiPort { get; }

    public int TransferPort { get; }

    public string StorageDir => Path.Combine(Root.Path, "storage");

    /// <summary>The hub's master key ring (from <c>LX_ANNOTATE_MASTER_KEY</c>), to read its encrypted artifacts.</summary>
    public LxAnnotate.Hub.Storage.Encryption.MasterKeyRing KeyRing =>
        new(Convert.FromBase64String(environment["LX_ANNOTATE_MASTER_KEY"]!.Replace('-', '+').Replace('_', '/')));

    /// <summary>The API listener (REST, health, Enroll); https when the hub signs node certificates.</summary>
    public Uri ApiUrl => new(environment["LXA_HUB_API_URL"]!);

    public string Output => process?.Output ?? "";

    /// <summary>The hub's environment, for other <c>lxa-hub</c> processes of the same installation (commands, the worker).</summary>
    public IReadOnlyDictionary<string, string?> Environment => environment;

    /// <summary>Peak resident memory of the hub process so far (VmHWM), in bytes.</summary>
    public long PeakResidentBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{process!.Id}/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidOperationException("VmHWM not found.");
    }

    /// <summary>
    /// A standalone hub on SQLite that takes anonymous uploads (no OIDC, no transfer listener, default center
    /// <c>center-a</c>): for tests of something other than authentication. <paramref name="extra"/> is applied last.
    /// </summary>
    public static Task<HubProcess> StartStandaloneAnonymousAsync(IReadOnlyDictionary<string, string?>? extra = null)
    {
        var environment = new Dictionary<string, string?>
        {
            ["ENDOREG_DEPLOYMENT_ROLE"] = "standalone",
            ["ENFORCE_AUTH"] = "0",
            ["DATABASE_URL"] = null,
            ["LXA_HUB_TRANSFER_URL"] = "off",
            ["OIDC_ISSUER"] = null,
            ["OIDC_AUDIENCE"] = null,
            ["OIDC_JWKS_FILE"] = null,
            ["LX_ANNOTATE_DEFAULT_CENTER"] = "center-a",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            environment[key] = value;
        }

        return StartAsync(environment, sqlite: true);
    }

    /// <param name="sqlite">Start without PostgreSQL (a standalone hub on its default SQLite file).</param>
    /// <param name="signsNodeCertificates">Give the hub the node CA's key (enrollment, renewal); the API listener is then https (unless proxied).</param>
    /// <param name="proxiedTransfer">Plain-HTTP API and transfer listeners for a TLS-terminating proxy in front (its trust settings come in <paramref name="extra"/>).</param>
    /// <param name="externalDatabase">A PostgreSQL database the test runs itself (its <c>DATABASE_URL</c> and connection string) instead of a fresh one on the test cluster.</param>
    public static async Task<HubProcess> StartAsync(IReadOnlyDictionary<string, string?>? extra = null, bool sqlite = false, bool signsNodeCertificates = false, bool proxiedTransfer = false, (string Url, string ConnectionString)? externalDatabase = null)
    {
        var root = new TempDirectory();
        var pki = new TestPki();
        var (certFile, keyFile) = TestPki.WritePem(pki.IssueServer(), root.Path, "hub");
        var database = sqlite || externalDatabase is not null ? null : await PostgresTestDatabase.CreateAsync();
        using var jwks = new TestJwks();
        var apiPort = FreePort.Next();
        var transferPort = FreePort.Next();
        var environment = new Dictionary<string, string?>
        {
            ["ENDOREG_DEPLOYMENT_ROLE"] = "central_hub",
            ["LX_ANNOTATE_MASTER_KEY"] = TestMasterKey.NewEncoded(),
            ["LX_ANNOTATE_ENCRYPTED_DATA_DIR"] = root.Path,
            ["DATABASE_URL"] = externalDatabase?.Url ?? database?.Url,
            ["LXA_HUB_API_URL"] = $"{(signsNodeCertificates && !proxiedTransfer ? "https" : "http")}://127.0.0.1:{apiPort}",
            ["LXA_HUB_TRANSFER_URL"] = $"{(proxiedTransfer ? "http" : "https")}://127.0.0.1:{transferPort}",
            ["LXA_HUB_TLS_CERT_FILE"] = certFile,
            ["LXA_HUB_TLS_KEY_FILE"] = keyFile,
            ["LXA_HUB_NODE_CA_FILE"] = pki.WriteCaPem(root.Path),
            ["OIDC_ISSUER"] = "https://idp.test/realms/lx",
            ["OIDC_AUDIENCE"] = "lx-annotate",
            ["OIDC_JWKS_FILE"] = jwks.WriteFile(root.Path),
        };
        if (signsNodeCertificates)
        {
            environment["LXA_HUB_NODE_CA_KEY_FILE"] = pki.WriteCaKeyPem(root.Path);
        }

        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            environment[key] = value;
        }

        var migrate = await ProcessRunner.RunDotnetAsync(Binaries.Hub, ["migrate"], environment);
        Assert.True(migrate.ExitCode == 0, migrate.StandardError);

        var hub = new HubProcess(root, pki, database, environment, apiPort, transferPort, externalConnectionString: externalDatabase?.ConnectionString);
        await hub.RestartAsync();
        return hub;
    }

    /// <summary>
    /// Another <c>lxa-hub serve</c> of the same installation: the same database, data root, keys and certificates,
    /// its own ports, local socket and replica name, as a second replica on one host runs.
    /// </summary>
    public async Task<HubProcess> StartReplicaAsync(string replicaId, IReadOnlyDictionary<string, string?>? extra = null)
    {
        Assert.Null(first);
        var apiPort = FreePort.Next();
        var transferPort = FreePort.Next();
        var replicaEnvironment = new Dictionary<string, string?>(environment)
        {
            ["LXA_HUB_API_URL"] = $"{ApiUrl.Scheme}://127.0.0.1:{apiPort}",
            ["LXA_HUB_TRANSFER_URL"] = environment["LXA_HUB_TRANSFER_URL"] == "off" ? "off" : $"{new Uri(environment["LXA_HUB_TRANSFER_URL"]!).Scheme}://127.0.0.1:{transferPort}",
            ["LXA_HUB_LOCAL_SOCKET"] = Path.Combine(Root.Path, $"{replicaId}.sock"),
            ["LXA_HUB_REPLICA_ID"] = replicaId,
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            replicaEnvironment[key] = value;
        }

        var replica = new HubProcess(Root, Pki, null, replicaEnvironment, apiPort, transferPort, this);
        await replica.RestartAsync();
        return replica;
    }

    /// <summary>Starts the binary (again) and waits until <c>/healthz</c> answers.</summary>
    public async Task RestartAsync()
    {
        Assert.True(process is null || process.HasExited, "the hub is still running");
        if (process is not null)
        {
            await process.DisposeAsync();
        }

        process = ChildProcess.StartDotnet(Binaries.Hub, ["serve"], environment);

        using var http = HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            Assert.False(process.HasExited, $"lxa-hub exited with {(process.HasExited ? process.ExitCode : 0)}:\n{Output}");
            try
            {
                using var response = await http.GetAsync(new Uri(ApiUrl, "/healthz"));

                // Kestrel serves each listener as soon as it is bound: the API may answer before the transfer port.
                if (response.IsSuccessStatusCode && await TransferListeningAsync())
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            Assert.True(DateTime.UtcNow < deadline, $"lxa-hub did not become healthy:\n{Output}");
            await Task.Delay(100);
        }
    }

    private async Task<bool> TransferListeningAsync()
    {
        if (environment.GetValueOrDefault("LXA_HUB_TRANSFER_URL") == "off")
        {
            return true;
        }

        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(System.Net.IPAddress.Loopback, TransferPort);
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    /// <summary>An HTTP client for the API listener that trusts the hub's test certificate.</summary>
    public HttpClient HttpClient() => new(new SocketsHttpHandler
    {
        SslOptions = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, c, _, _) => c is not null && Pki.Validates(new X509Certificate2(c)),
        },
    })
    {
        Timeout = TimeSpan.FromSeconds(5),
    };

    /// <summary>Runs an <c>lxa-hub</c> operator command with the hub's own environment.</summary>
    public Task<ProcessResult> OperatorAsync(params string[] arguments) => ProcessRunner.RunDotnetAsync(Binaries.Hub, arguments, environment);

    /// <summary>SIGKILL: no shutdown code runs, as in a power cut of the process.</summary>
    public Task KillAsync() => process!.KillAsync();

    /// <summary>SIGTERM, as systemd stops the service: the hub drains and flushes before it exits.</summary>
    public Task<int> TerminateAsync(TimeSpan timeout) => process!.TerminateAsync(timeout);

    public LxaDbContext Db() => first is not null ? first.Db() : externalConnectionString is not null
        ? DatabaseRegistration.CreateContext(new DatabaseSettings(DatabaseProvider.PostgreSql, externalConnectionString, "e2e"))
        : database is null
        ? DatabaseRegistration.CreateContext(new DatabaseSettings(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(Root.Path, "lxa.sqlite3")}", "e2e"))
        : DatabaseRegistration.CreateContext(new DatabaseSettings(DatabaseProvider.PostgreSql, database.ConnectionString, "e2e"));

    public async Task AddCenterAsync(string centerKey)
    {
        await using var db = Db();
        db.Centers.Add(new Center { CenterKey = centerKey, Name = centerKey, CreatedAt = DateTimeOffset.UtcNow });
        await db.SaveChangesAsync();
    }

    public async Task<X509Certificate2> AddNodeAsync(string nodeKey, string centerKey)
    {
        var certificate = Pki.IssueNode(nodeKey);
        await using var db = Db();
        var center = db.Centers.Single(c => c.CenterKey == centerKey);
        var node = new NetworkNode { NodeKey = nodeKey, Role = "site_node", OwningCenterId = center.Id, CreatedAt = DateTimeOffset.UtcNow };
        node.Certificates.Add(new NodeCertificate
        {
            ThumbprintSha256 = certificate.GetCertHashString(HashAlgorithmName.SHA256),
            SerialNumber = certificate.SerialNumber,
            Subject = certificate.Subject,
            NotBefore = certificate.NotBefore.ToUniversalTime(),
            NotAfter = certificate.NotAfter.ToUniversalTime(),
            CreatedAt = DateTimeOffset.UtcNow,
        });
        db.NetworkNodes.Add(node);
        await db.SaveChangesAsync();
        return certificate;
    }

    public ProtoTransfer.TransferClient Client(X509Certificate2 certificate) => ClientAt(certificate, $"https://127.0.0.1:{TransferPort}");

    /// <summary>A node's client for <paramref name="address"/> (a proxy in front of this hub), trusting the test PKI's server certificates.</summary>
    public ProtoTransfer.TransferClient ClientAt(X509Certificate2 certificate, string address)
    {
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = [certificate],
                RemoteCertificateValidationCallback = (_, c, _, _) => c is not null && Pki.Validates(new X509Certificate2(c)),
            },
        };
        var channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpHandler = handler });
        channels.Add(channel);
        return new ProtoTransfer.TransferClient(channel);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var channel in channels)
        {
            channel.Dispose();
        }

        if (process is not null)
        {
            await process.DisposeAsync();
        }

        if (first is not null)
        {
            return;
        }

        if (database is not null)
        {
            await database.DisposeAsync();
        }
        Pki.Dispose();
        Root.Dispose();
    }
}
