using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using LxAnnotate.Hub.Data;
using LxAnnotate.Shared.Configuration;
using LxAnnotate.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.EndToEnd.Tests.Support;

/// <summary>
/// A host to deploy to, inside a temporary directory: <c>opt/</c> is <c>/opt/lx-annotate</c>, <c>data/</c> is
/// <c>/var/lib/lx-annotate</c> (with its <c>.env.systemd</c>, hub profile on a fresh PostgreSQL database, TLS and
/// node certificates made at test time), <c>units/</c> is <c>/etc/systemd/system</c>, and systemctl is
/// <c>supervisor-systemctl.sh</c>, which runs the programs the installed units name. In front of the hub runs
/// Debian's nginx with <c>deploy/nginx-lx-annotate.conf</c> rendered by <c>deploy/render-nginx-conf.sh</c> from
/// the env file, as an operator does (TLS API server with a static root, client-certificate-verifying node
/// server with <c>grpc_pass</c>); the hub runs in proxy mode (plain-HTTP listeners on loopback, trusted proxy
/// 127.0.0.1, attestation header). The acceptance smoke and <see cref="AnswersAsync"/> go through nginx.
/// </summary>
internal sealed class DeployTarget : IAsyncDisposable
{
    public const string HubUnit = "lx-annotate-hub.service";
    public const string WatcherUnit = "lx-annotate-watcher.service";

    private readonly TempDirectory root;
    private readonly PostgresTestDatabase database;
    private readonly TestPki pki;
    private readonly string[] units;

    private DeployTarget(TempDirectory root, PostgresTestDatabase database, TestPki pki, NginxProcess nginx, int httpsPort, string[] units)
    {
        this.root = root;
        this.database = database;
        this.pki = pki;
        this.units = units;
        Nginx = nginx;
        HttpsPort = httpsPort;
    }

    /// <summary>nginx's TLS API server (the front end clients and the smoke test use).</summary>
    public int HttpsPort { get; }

    public NginxProcess Nginx { get; }

    public string Prefix => root.Combine("opt");

    public string DataRoot => root.Combine("data");

    public string EnvFile => Path.Combine(DataRoot, ".env.systemd");

    public string Artifacts => root.Combine("artifacts");

    private string State => root.Combine("supervisor");

    private string UnitDir => root.Combine("units");

    public static async Task<DeployTarget> CreateAsync()
    {
        var root = new TempDirectory();
        var database = await PostgresTestDatabase.CreateAsync();
        var pki = new TestPki();
        var etc = root.Combine("etc");
        Directory.CreateDirectory(etc);
        Directory.CreateDirectory(root.Combine("data"));
        var (hubCert, hubKey) = TestPki.WritePem(pki.IssueServer(), etc, "hub");
        var (smokeCert, smokeKey) = TestPki.WritePem(pki.IssueNode("smoke-node"), etc, "smoke-node");
        using var jwks = new TestJwks();
        // A central hub refuses to start without a master key; the worker needs the hash salt. Both as
        // files, as the example env file recommends, private to the service user.
        var masterKeyFile = Path.Combine(etc, "master.key");
        var saltFile = Path.Combine(etc, "django-salt");
        await File.WriteAllTextAsync(masterKeyFile, TestMasterKey.NewEncoded() + "\n");
        await File.WriteAllTextAsync(saltFile, "deploy-test-salt-" + Guid.NewGuid().ToString("N") + "\n");
        File.SetUnixFileMode(masterKeyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.SetUnixFileMode(saltFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        // The hub's listeners (plain HTTP, loopback, behind nginx) and nginx's two servers.
        var apiPort = FreePort.Next();
        var transferPort = FreePort.Next();
        var httpsPort = FreePort.Next();
        var nodePort = FreePort.Next();
        var (nginxCert, nginxKey) = TestPki.WritePem(pki.IssueServer(), etc, "nginx");
        var staticRoot = root.Combine("static");
        Directory.CreateDirectory(staticRoot);
        await File.WriteAllTextAsync(Path.Combine(staticRoot, "smoke.txt"), "static file served by nginx\n");
        var attestation = "deploy-test-" + Guid.NewGuid().ToString("N");
        var lines = new[]
        {
            "# written by the deploy test",
            "ENDOREG_DEPLOYMENT_ROLE=central_hub",
            $"LX_ANNOTATE_ENCRYPTED_DATA_DIR={root.Combine("data")}",
            $"DATABASE_URL={database.Url}",
            $"LX_ANNOTATE_MASTER_KEY_FILE={masterKeyFile}",
            $"DJANGO_SALT_FILE={saltFile}",
            $"LXA_HUB_API_URL=http://127.0.0.1:{apiPort}",
            $"LXA_HUB_TRANSFER_URL=http://127.0.0.1:{transferPort}",
            "LXA_HUB_TRUSTED_PROXIES=127.0.0.1",
            "ENDOREG_HUB_TRANSFER_MTLS_META_KEY=X-Lxa-Proxy-Attestation",
            $"ENDOREG_HUB_TRANSFER_MTLS_META_VALUE={attestation}",
            "LX_ANNOTATE_MEDIA_ACCEL_REDIRECT=true",
            $"LXA_HUB_TLS_CERT_FILE={hubCert}",
            $"LXA_HUB_TLS_KEY_FILE={hubKey}",
            $"LXA_HUB_NODE_CA_FILE={pki.WriteCaPem(etc)}",
            "OIDC_ISSUER=https://idp.test/realms/lx",
            "OIDC_AUDIENCE=lx-annotate",
            $"OIDC_JWKS_FILE={jwks.WriteFile(etc)}",
            "WATCHER_POLL_INTERVAL_SECONDS=1",
            "NGINX_SERVER_NAME=localhost",
            $"NGINX_HTTPS_LISTEN=127.0.0.1:{httpsPort}",
            $"NGINX_TRANSFER_LISTEN=127.0.0.1:{nodePort}",
            $"NGINX_TLS_CERT_FILE={nginxCert}",
            $"NGINX_TLS_KEY_FILE={nginxKey}",
            $"NGINX_HUB_API_UPSTREAM=127.0.0.1:{apiPort}",
            $"NGINX_HUB_TRANSFER_UPSTREAM=127.0.0.1:{transferPort}",
            $"NGINX_STATIC_ROOT={staticRoot}",
            "LXA_SMOKE_HOST=localhost",
            $"LXA_SMOKE_HTTPS_PORT={httpsPort}",
            "LXA_SMOKE_STATIC_PATH=/static/smoke.txt",
            $"LXA_SMOKE_CA_FILE={Path.Combine(etc, "node-ca.crt.pem")}",
            $"LXA_SMOKE_TRANSFER_PORT={nodePort}",
            $"LXA_SMOKE_NODE_CERT_FILE={smokeCert}",
            $"LXA_SMOKE_NODE_KEY_FILE={smokeKey}",
            "LXA_SMOKE_WAIT_SECONDS=60",
        };
        await File.WriteAllLinesAsync(root.Combine("data", ".env.systemd"), lines);

        // nginx rendered from the env file (`set -a; . .env.systemd; set +a; deploy/render-nginx-conf.sh`), started
        // before the first deploy: its upstreams answer once the deploy restarted the hub.
        var nginx = await NginxProcess.StartAsync(root.Combine("nginx"), EnvFileVariables(lines), [httpsPort, nodePort]);

        var help = await ProcessRunner.RunDotnetAsync(Binaries.Hub, ["--help"], new Dictionary<string, string?>());
        string[] units = HasCommand(help.StandardOutput, "worker")
            ? [HubUnit, "lx-annotate-worker.service", WatcherUnit]
            : [HubUnit, WatcherUnit];
        return new DeployTarget(root, database, pki, nginx, httpsPort, units);
    }

    private static Dictionary<string, string?> EnvFileVariables(IEnumerable<string> lines) =>
        lines.Where(l => !l.StartsWith('#') && l.Contains('=', StringComparison.Ordinal))
            .ToDictionary(l => l[..l.IndexOf('=', StringComparison.Ordinal)], l => (string?)l[(l.IndexOf('=', StringComparison.Ordinal) + 1)..], StringComparer.Ordinal);

    /// <summary>True when <c>--help</c> output lists the subcommand (optional steps run only then).</summary>
    public static bool HasCommand(string help, string command) =>
        help.Split('\n').Any(l => l.StartsWith("  " + command + " ", StringComparison.Ordinal) || l.Trim() == command);

    /// <summary>A repacked copy of the artifact under <paramref name="version"/>, optionally with one file replaced by garbage.</summary>
    public async Task<string> VariantAsync(string artifact, string version, string? corrupt = null)
    {
        var result = await ProcessRunner.RunAsync(
            "bash",
            [Script("make-release-variant.sh"), artifact, Artifacts, version, .. corrupt is null ? Array.Empty<string>() : [corrupt]],
            new Dictionary<string, string?>(),
            TimeSpan.FromMinutes(3));
        Assert.True(result.ExitCode == 0, result.StandardError);
        return result.StandardOutput.Trim();
    }

    public Task<ProcessResult> DeployAsync(string artifact, bool smoke = true, int keep = 5) =>
        ProcessRunner.RunAsync(
            "bash",
            [Path.Combine(Binaries.RepositoryRoot, "deploy", "deploy.sh"), artifact],
            new Dictionary<string, string?>
            {
                ["LXA_PREFIX"] = Prefix,
                ["LXA_ENV_FILE"] = EnvFile,
                ["LXA_SYSTEMCTL"] = Script("supervisor-systemctl.sh"),
                ["LXA_SYSTEMD_UNIT_DIR"] = UnitDir,
                ["LXA_DEPLOY_UNITS"] = string.Join(' ', units),
                ["LXA_KEEP_RELEASES"] = keep.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["LXA_SUPERVISOR_STATE"] = State,
                ["LXA_SUPERVISOR_PATH_MAP"] = $"/opt/lx-annotate={Prefix} /var/lib/lx-annotate={DataRoot}",
                ["RUN_POST_DEPLOY_ACCEPTANCE"] = smoke ? "1" : "0",

                // The temporary tree belongs to the test's user; a host that ran bootstrap-host.sh also has an
                // lx-annotate user, which must not be the one preparing this tree.
                ["LXA_SERVICE_USER"] = Environment.UserName,
            },
            TimeSpan.FromMinutes(4));

    /// <summary>What an operator does after the first install: a center, the smoke test's node and its certificate.</summary>
    public async Task RegisterSmokeNodeAsync()
    {
        var hub = Path.Combine(Prefix, "current", "hub", "lxa-hub");
        foreach (var command in new[]
                 {
                     new[] { "centers", "add", "smoke-center", "--name", "Smoke" },
                     ["nodes", "add", "smoke-node", "--center", "smoke-center"],
                     ["nodes", "cert", "add", "smoke-node", root.Combine("etc", "smoke-node.crt.pem")],
                 })
        {
            var result = await ProcessRunner.RunAsync(hub, ["--env-file", EnvFile, .. command], new Dictionary<string, string?>());
            Assert.True(result.ExitCode == 0, $"lxa-hub {string.Join(' ', command)}: {result.StandardError}");
        }
    }

    public string Current => Path.GetFileName(new DirectoryInfo(Path.Combine(Prefix, "current")).LinkTarget!);

    public int? Pid(string unit) =>
        File.Exists(Path.Combine(State, unit + ".pid")) ? int.Parse(File.ReadAllText(Path.Combine(State, unit + ".pid")).Trim(), System.Globalization.CultureInfo.InvariantCulture) : null;

    /// <summary>The release directory the unit's running program was started from.</summary>
    public string RunningRelease(string unit)
    {
        var pid = Pid(unit) ?? throw new InvalidOperationException($"{unit} has no pid");
        var exe = new FileInfo($"/proc/{pid}/exe").LinkTarget ?? "";
        return Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(exe)))!;
    }

    public string Log(string unit) => File.Exists(Path.Combine(State, unit + ".log")) ? File.ReadAllText(Path.Combine(State, unit + ".log")) : "";

    /// <summary>Waits for <paramref name="path"/> through nginx's TLS API server to answer 200 (TLS checked against the test CA).</summary>
    public async Task<bool> AnswersAsync(string path, TimeSpan within)
    {
        using var http = new HttpClient(new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, c, _, _) => c is not null && pki.Validates(new X509Certificate2(c)),
            },
        })
        {
            Timeout = TimeSpan.FromSeconds(5),
        };
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(new Uri($"https://localhost:{HttpsPort}{path}"));
                if (response.IsSuccessStatusCode)
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(200);
        }
    }

    public async Task<int> ExecuteSqlAsync(string sql)
    {
        await using var db = DatabaseRegistration.CreateContext(new DatabaseSettings(DatabaseProvider.PostgreSql, database.ConnectionString, "deploy-test"));
        return await db.Database.ExecuteSqlRawAsync(sql);
    }

    public async Task<List<string>> AppliedMigrationsAsync()
    {
        await using var db = DatabaseRegistration.CreateContext(new DatabaseSettings(DatabaseProvider.PostgreSql, database.ConnectionString, "deploy-test"));
        return [.. await db.Database.GetAppliedMigrationsAsync()];
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var unit in units.Reverse())
        {
            await ProcessRunner.RunAsync(
                Script("supervisor-systemctl.sh"),
                ["stop", unit],
                new Dictionary<string, string?> { ["LXA_SUPERVISOR_STATE"] = State, ["LXA_SYSTEMD_UNIT_DIR"] = UnitDir },
                TimeSpan.FromSeconds(60));
        }

        await Nginx.DisposeAsync();
        await database.DisposeAsync();
        pki.Dispose();
        root.Dispose();
    }

    private static string Script(string name) => Path.Combine(Binaries.RepositoryRoot, "tests", "EndToEnd.Tests", "Deploy", name);
}
