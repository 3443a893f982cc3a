using System.Globalization;
using LxAnnotate.TestSupport;

namespace LxAnnotate.EndToEnd.Tests.Support;

/// <summary>
/// Several real <c>lxa-hub serve</c> replicas (one PostgreSQL database, one data root) with Debian's nginx in front,
/// in one of the two deployed shapes: TLS terminated at nginx (<c>deploy/nginx-lx-annotate.conf</c>, replicas in
/// proxy mode) or passed through (<c>deploy/nginx-lx-annotate-stream.conf</c>, replicas in their own mTLS mode).
/// Disposing stops nginx and every replica, also after a failed start.
/// </summary>
internal sealed class NginxReplicaSet : IAsyncDisposable
{
    public const string AttestationHeader = "X-Lxa-Proxy-Attestation";
    private const string AttestationValue = "attested-by-replica-nginx";

    private readonly List<HubProcess> replicas = [];

    private NginxReplicaSet(bool passthrough) => Passthrough = passthrough;

    public bool Passthrough { get; }

    /// <summary>replica-1 first: it owns the database and the data root.</summary>
    public IReadOnlyList<HubProcess> Replicas => replicas;

    public HubProcess First => replicas[0];

    public NginxProcess Nginx { get; private set; } = null!;

    /// <summary>The port site nodes connect to (nginx's node server, or its stream listener).</summary>
    public int NodePort { get; private set; }

    /// <summary>The hub URL a site node is configured with: nginx, by the name in the server certificate (SNI).</summary>
    public string NodeUrl => string.Create(CultureInfo.InvariantCulture, $"https://localhost:{NodePort}");

    public string AccessLog => Path.Combine(Nginx.Directory, Passthrough ? "stream-access.log" : "access.log");

    public static async Task<NginxReplicaSet> StartAsync(bool passthrough, int count, IReadOnlyDictionary<string, string?>? extra = null)
    {
        var set = new NginxReplicaSet(passthrough);
        try
        {
            var environment = new Dictionary<string, string?> { ["LXA_HUB_REPLICA_ID"] = "replica-1" };
            if (!passthrough)
            {
                environment["LXA_HUB_TRUSTED_PROXIES"] = "127.0.0.1";
                environment["ENDOREG_HUB_TRANSFER_MTLS_META_KEY"] = AttestationHeader;
                environment["ENDOREG_HUB_TRANSFER_MTLS_META_VALUE"] = AttestationValue;
            }

            foreach (var (name, value) in extra ?? new Dictionary<string, string?>())
            {
                environment[name] = value;
            }

            set.replicas.Add(await HubProcess.StartAsync(environment, proxiedTransfer: !passthrough));
            for (var i = 2; i <= count; i++)
            {
                set.replicas.Add(await set.First.StartReplicaAsync(string.Create(CultureInfo.InvariantCulture, $"replica-{i}")));
            }

            await set.StartNginxAsync();
            return set;
        }
        catch
        {
            await set.DisposeAsync();
            throw;
        }
    }

    /// <summary>The replica named <paramref name="replicaId"/>.</summary>
    public HubProcess Replica(string replicaId) =>
        replicas.Single(r => r.Environment["LXA_HUB_REPLICA_ID"] == replicaId);

    public async ValueTask DisposeAsync()
    {
        if (Nginx is not null)
        {
            await Nginx.DisposeAsync();
        }

        // The first replica owns the database and the data root: it goes last.
        for (var i = replicas.Count - 1; i >= 0; i--)
        {
            await replicas[i].DisposeAsync();
        }
    }

    private async Task StartNginxAsync()
    {
        var directory = First.Root.Combine("front");
        var transfer = string.Join(',', replicas.Select(r => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{r.TransferPort}")));
        if (!Passthrough)
        {
            var api = string.Join(',', replicas.Select(r => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{r.ApiPort}")));
            var front = await TemplateNginx.StartAsync(First, directory, AttestationHeader, AttestationValue, new Dictionary<string, string?>
            {
                ["NGINX_HUB_API_UPSTREAM"] = api,
                ["NGINX_HUB_TRANSFER_UPSTREAM"] = transfer,
            });
            Nginx = front.Process;
            NodePort = front.TransferPort;
            return;
        }

        NodePort = FreePort.Next();
        var nginxDirectory = Path.Combine(directory, "nginx");
        var variables = new Dictionary<string, string?>
        {
            ["NGINX_TRANSFER_LISTEN"] = string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{NodePort}"),
            ["NGINX_HUB_TRANSFER_UPSTREAM"] = transfer,
            ["NGINX_STREAM_ACCESS_LOG"] = Path.Combine(nginxDirectory, "stream-access.log"),
        };
        var template = Path.Combine(Binaries.RepositoryRoot, "deploy", "nginx-lx-annotate-stream.conf");
        Nginx = await NginxProcess.StartAsync(nginxDirectory, variables, [NodePort], template, stream: true)
            .WaitAsync(TimeSpan.FromSeconds(60));
    }
}
