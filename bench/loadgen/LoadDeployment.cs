using System.Security.Cryptography.X509Certificates;
using LxAnnotate.Hub.Data;
using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Operators.Certificates;
using LxAnnotate.Shared.Configuration;
using LxAnnotate.TestSupport;

namespace LxAnnotate.Bench.LoadGen;

/// <summary>
/// A central hub of <c>replicas</c> <c>lxa-hub serve</c> processes on one fresh PostgreSQL database and one data
/// root, with a node CA made for the run, and the simulated sites registered as operators register them.
/// </summary>
internal sealed class LoadDeployment : IAsyncDisposable
{
    private readonly TempDirectory root;
    private readonly TestPki pki;
    private readonly PostgresTestDatabase database;
    private readonly List<HubReplica> replicas = [];

    private LoadDeployment(TempDirectory root, TestPki pki, PostgresTestDatabase database)
    {
        this.root = root;
        this.pki = pki;
        this.database = database;
    }

    public IReadOnlyList<HubReplica> Replicas => replicas;

    public PostgresTestDatabase Database => database;

    public string StorageDir => root.Combine("storage");

    public static async Task<LoadDeployment> StartAsync(int replicaCount)
    {
        var root = new TempDirectory();
        var pki = new TestPki();
        var database = await PostgresTestDatabase.CreateAsync();
        var deployment = new LoadDeployment(root, pki, database);
        try
        {
            var environment = deployment.Environment();
            var migrate = await ProcessRunner.RunDotnetAsync(Binaries.Hub, ["migrate"], environment);
            if (migrate.ExitCode != 0)
            {
                throw new InvalidOperationException($"lxa-hub migrate failed:\n{migrate.StandardError}");
            }

            for (var i = 0; i < replicaCount; i++)
            {
                deployment.replicas.Add(await HubReplica.StartAsync($"hub-{(char)('a' + i)}", environment));
            }

            return deployment;
        }
        catch
        {
            await deployment.DisposeAsync();
            throw;
        }
    }

    /// <summary>Registers <paramref name="nodes"/> site nodes spread over <paramref name="centers"/> centers, each with its own certificate.</summary>
    public async Task<IReadOnlyList<SiteIdentity>> RegisterAsync(int nodes, int centers)
    {
        var sites = new List<SiteIdentity>();
        await using var db = Db();
        var centerRows = Enumerable.Range(0, centers)
            .Select(c => new Center { CenterKey = $"center-{c:000}", Name = $"Center {c:000}", CreatedAt = DateTimeOffset.UtcNow })
            .ToList();
        db.Centers.AddRange(centerRows);
        await db.SaveChangesAsync();
        for (var n = 0; n < nodes; n++)
        {
            var center = centerRows[n % centers];
            var nodeKey = $"site-{n:000}";
            var certificate = pki.IssueNode(nodeKey);
            var node = new NetworkNode { NodeKey = nodeKey, Role = "site_node", OwningCenterId = center.Id, CreatedAt = DateTimeOffset.UtcNow };
            node.Certificates.Add(NodeCertificateRows.Active(CertificateFacts.Of(certificate), DateTimeOffset.UtcNow));
            db.NetworkNodes.Add(node);
            sites.Add(new SiteIdentity(nodeKey, center.CenterKey, certificate));
        }

        await db.SaveChangesAsync();
        return sites;
    }

    public LxaDbContext Db() =>
        DatabaseRegistration.CreateContext(new DatabaseSettings(DatabaseProvider.PostgreSql, database.ConnectionString, "loadgen"));

    public bool ValidatesServer(X509Certificate2 certificate) => pki.Validates(certificate);

    public async ValueTask DisposeAsync()
    {
        foreach (var replica in replicas)
        {
            await replica.DisposeAsync();
        }

        await database.DisposeAsync();
        pki.Dispose();
        root.Dispose();
    }

    private Dictionary<string, string?> Environment()
    {
        var (certFile, keyFile) = TestPki.WritePem(pki.IssueServer(), root.Path, "hub");
        using var jwks = new TestJwks();
        return new Dictionary<string, string?>
        {
            ["ENDOREG_DEPLOYMENT_ROLE"] = "central_hub",
            ["LX_ANNOTATE_MASTER_KEY"] = TestMasterKey.NewEncoded(),
            ["LX_ANNOTATE_ENCRYPTED_DATA_DIR"] = root.Path,
            ["DATABASE_URL"] = database.Url,
            ["LXA_HUB_TLS_CERT_FILE"] = certFile,
            ["LXA_HUB_TLS_KEY_FILE"] = keyFile,
            ["LXA_HUB_NODE_CA_FILE"] = pki.WriteCaPem(root.Path),
            ["OIDC_ISSUER"] = "https://idp.test/realms/lx",
            ["OIDC_AUDIENCE"] = "lx-annotate",
            ["OIDC_JWKS_FILE"] = jwks.WriteFile(root.Path),
        };
    }
}
