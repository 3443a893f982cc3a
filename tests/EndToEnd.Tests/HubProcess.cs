using System.Diagnostics;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Grpc.Net.Client;
using LxAnnotate.Shared.Configuration;
using LxAnnotate.Shared.Data;
using LxAnnotate.Shared.Domain;
using LxAnnotate.TestSupport;
using ProtoTransfer = LxAnnotate.Shared.Protos.V1.Transfer;

namespace LxAnnotate.EndToEnd.Tests;

/// <summary>
/// The real <c>lxa-hub serve</c> binary as a child process: central_hub on a fresh PostgreSQL database,
/// certificates made at test time, loopback ports. It can be killed (SIGKILL) and started again.
/// </summary>
internal sealed class HubProcess : IAsyncDisposable
{
    private readonly Dictionary<string, string?> environment;
    private readonly StringBuilder output = new();
    private readonly PostgresTestDatabase database;
    private readonly List<GrpcChannel> channels = [];
    private Process? process;

    private HubProcess(TempDirectory root, TestPki pki, PostgresTestDatabase database, Dictionary<string, string?> environment, int apiPort, int transferPort)
    {
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

    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    public static async Task<HubProcess> StartAsync(IReadOnlyDictionary<string, string?>? extra = null)
    {
        var root = new TempDirectory();
        var pki = new TestPki();
        var (certFile, keyFile) = TestPki.WritePem(pki.IssueServer(), root.Path, "hub");
        var database = await PostgresTestDatabase.CreateAsync();
        using var jwks = new TestJwks();
        var apiPort = FreePort.Next();
        var transferPort = FreePort.Next();
        var environment = new Dictionary<string, string?>
        {
            ["ENDOREG_DEPLOYMENT_ROLE"] = "central_hub",
            ["LX_ANNOTATE_ENCRYPTED_DATA_DIR"] = root.Path,
            ["DATABASE_URL"] = database.Url,
            ["LXA_HUB_API_URL"] = $"http://127.0.0.1:{apiPort}",
            ["LXA_HUB_TRANSFER_URL"] = $"https://127.0.0.1:{transferPort}",
            ["LXA_HUB_TLS_CERT_FILE"] = certFile,
            ["LXA_HUB_TLS_KEY_FILE"] = keyFile,
            ["LXA_HUB_NODE_CA_FILE"] = pki.WriteCaPem(root.Path),
            ["OIDC_ISSUER"] = "https://idp.test/realms/lx",
            ["OIDC_AUDIENCE"] = "lx-annotate",
            ["OIDC_JWKS_FILE"] = jwks.WriteFile(root.Path),
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            environment[key] = value;
        }

        var migrate = await ProcessRunner.RunDotnetAsync(Binaries.Hub, ["migrate"], environment);
        Assert.True(migrate.ExitCode == 0, migrate.StandardError);

        var hub = new HubProcess(root, pki, database, environment, apiPort, transferPort);
        await hub.RestartAsync();
        return hub;
    }

    /// <summary>Starts the binary (again) and waits until <c>/healthz</c> answers and the transfer port accepts connections.</summary>
    public async Task RestartAsync()
    {
        Assert.True(process is null || process.HasExited, "the hub is still running");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Binaries.Hub);
        start.ArgumentList.Add("serve");
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            Assert.False(process.HasExited, $"lxa-hub exited with {(process.HasExited ? process.ExitCode : 0)}:\n{Output}");
            try
            {
                using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{ApiPort}/healthz"));

                // Kestrel accepts on each listener as soon as it is bound: /healthz can answer a few hundred
                // milliseconds before the TLS transfer listener exists, and a sender right after a restart
                // would find the port closed.
                if (response.IsSuccessStatusCode && await AcceptsConnectionsAsync(TransferPort))
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

    /// <summary>SIGKILL: no shutdown code runs, as in a power cut of the process.</summary>
    public async Task KillAsync()
    {
        process!.Kill(entireProcessTree: true);
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    public LxaDbContext Db() => DatabaseRegistration.CreateContext(new DatabaseSettings(DatabaseProvider.PostgreSql, database.ConnectionString, "e2e"));

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

    public ProtoTransfer.TransferClient Client(X509Certificate2 certificate)
    {
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = [certificate],
                RemoteCertificateValidationCallback = (_, c, _, _) => c is not null && Pki.Validates(new X509Certificate2(c)),
            },
        };
        var channel = GrpcChannel.ForAddress($"https://127.0.0.1:{TransferPort}", new GrpcChannelOptions { HttpHandler = handler });
        channels.Add(channel);
        return new ProtoTransfer.TransferClient(channel);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var channel in channels)
        {
            channel.Dispose();
        }

        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }

        process?.Dispose();
        await database.DisposeAsync();
        Pki.Dispose();
        Root.Dispose();
    }

    private static async Task<bool> AcceptsConnectionsAsync(int port)
    {
        using var client = new System.Net.Sockets.TcpClient();
        try
        {
            await client.ConnectAsync(System.Net.IPAddress.Loopback, port);
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }
}
