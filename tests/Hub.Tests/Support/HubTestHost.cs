using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography;
using System.Text.Json;
using LxAnnotate.Hub.Data;
using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Hosting;
using LxAnnotate.Shared.Configuration;
using LxAnnotate.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LxAnnotate.Hub.Tests.Support;

/// <summary>
/// <c>lxa-hub serve</c> built by <see cref="HubServer.Build"/> on an in-memory test server, with a temp data
/// root, a migrated database (a fresh PostgreSQL database for central_hub), a throwaway OIDC key and a
/// capture of every log line.
/// </summary>
internal sealed class HubTestHost : IAsyncDisposable
{
    /// <summary>Upper bound for every await in these tests.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly TempDirectory root;
    private readonly PostgresTestDatabase? postgres;
    private readonly WebApplication app;
    private readonly int linesBeforeRequests;

    private HubTestHost(TempDirectory root, PostgresTestDatabase? postgres, WebApplication app, TestTokenIssuer tokens, CapturingLoggerProvider logs)
    {
        this.root = root;
        this.postgres = postgres;
        this.app = app;
        Tokens = tokens;
        Logs = logs;
        linesBeforeRequests = logs.Lines.Count;
        Client = app.GetTestServer().CreateClient();
        Client.Timeout = Timeout;
    }

    public HttpClient Client { get; }

    public TestTokenIssuer Tokens { get; }

    public CapturingLoggerProvider Logs { get; }

    public IServiceProvider Services => app.Services;

    public DataPaths Paths => app.Services.GetRequiredService<DataPaths>();

    /// <summary>central_hub on PostgreSQL with OIDC, transfer listener settings and node CA, as production runs it.</summary>
    /// <param name="extra">More settings; they win over the defaults.</param>
    /// <param name="databasePassword">Put into <c>DATABASE_URL</c> (the test cluster trusts any password).</param>
    public static Task<HubTestHost> CentralHubAsync(IReadOnlyDictionary<string, string?>? extra = null, string? databasePassword = null) =>
        StartAsync(DeploymentRole.CentralHub, TestDatabaseKind.PostgreSql, oidc: true, extra, databasePassword);

    /// <summary>standalone on SQLite, transfer listener off; OIDC only when asked for.</summary>
    public static Task<HubTestHost> StandaloneAsync(bool oidc, IReadOnlyDictionary<string, string?>? extra = null, Action<WebApplicationBuilder>? configure = null) =>
        StartAsync(DeploymentRole.Standalone, TestDatabaseKind.Sqlite, oidc, extra, configure: configure);

    public static async Task<HubTestHost> StartAsync(
        DeploymentRole role, TestDatabaseKind database, bool oidc, IReadOnlyDictionary<string, string?>? extra, string? databasePassword = null, Action<WebApplicationBuilder>? configure = null)
    {
        var root = new TempDirectory();
        var tokens = new TestTokenIssuer();
        var postgres = database == TestDatabaseKind.PostgreSql ? await PostgresTestDatabase.CreateAsync().WaitAsync(Timeout) : null;
        var settings = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["ENDOREG_DEPLOYMENT_ROLE"] = role.ToWireName(),
            ["LX_ANNOTATE_ENCRYPTED_DATA_DIR"] = root.Path,
            ["LX_ANNOTATE_MASTER_KEY"] = role == DeploymentRole.CentralHub ? TestMasterKey.NewEncoded() : null,
            ["LXA_HUB_API_URL"] = "http://127.0.0.1:0",
            ["LXA_HUB_LOCAL_SOCKET"] = "off",
        };
        if (postgres is not null)
        {
            settings["DATABASE_URL"] = databasePassword is null ? postgres.Url : new UriBuilder(postgres.Url) { Password = databasePassword }.Uri.AbsoluteUri;
        }

        if (role == DeploymentRole.CentralHub)
        {
            // The transfer listener stays configured as in production; the test server never opens it.
            var (certificate, key) = WriteSelfSignedCa(root);
            settings["LXA_HUB_TLS_CERT_FILE"] = certificate;
            settings["LXA_HUB_TLS_KEY_FILE"] = key;
            settings["LXA_HUB_NODE_CA_FILE"] = certificate;
        }
        else
        {
            settings["LXA_HUB_TRANSFER_URL"] = "off";

            // The standalone tests were written for anonymous uploads next to optional tokens; the default (on, as
            // in the original's production settings) has its own tests and extra settings override this.
            settings["ENFORCE_AUTH"] = "0";
        }

        if (oidc)
        {
            var jwks = root.Combine("jwks.json");
            tokens.WriteJwks(jwks);
            settings["OIDC_ISSUER"] = TestTokenIssuer.Issuer;
            settings["OIDC_AUDIENCE"] = TestTokenIssuer.Audience;
            settings["OIDC_JWKS_FILE"] = jwks;
        }

        foreach (var (name, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[name] = value;
        }

        var logs = new CapturingLoggerProvider();
        var app = HubServer.Build(settings, builder =>
        {
            builder.WebHost.UseTestServer(o => o.BaseAddress = new Uri("https://hub.test/"));
            builder.Logging.AddProvider(logs);
            builder.Logging.SetMinimumLevel(LogLevel.Trace);

            // Everything is captured; the console keeps to warnings so test output stays readable.
            builder.Logging.AddFilter<Microsoft.Extensions.Logging.Console.ConsoleLoggerProvider>(level => level >= LogLevel.Warning);
            configure?.Invoke(builder);
        });

        app.Services.GetRequiredService<DataPaths>().EnsureCreated();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None).WaitAsync(Timeout);
        }

        await app.StartAsync().WaitAsync(Timeout);
        return new HubTestHost(root, postgres, app, tokens, logs);
    }

    public async Task AddCentersAsync(params string[] centerKeys)
    {
        await WithDbAsync(async db =>
        {
            foreach (var key in centerKeys)
            {
                db.Centers.Add(new Center { CenterKey = key, Name = key, CreatedAt = DateTimeOffset.UtcNow });
            }

            return await db.SaveChangesAsync();
        });
    }

    public async Task<T> WithDbAsync<T>(Func<LxaDbContext, Task<T>> action)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<LxaDbContext>()).WaitAsync(Timeout);
    }

    /// <summary>POSTs a form to <c>/api/upload/</c>, with a bearer token and headers when given.</summary>
    public async Task<HttpResponseMessage> UploadAsync(HttpContent form, string? token = null, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/upload/") { Content = form };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return await Client.SendAsync(request).WaitAsync(Timeout);
    }

    public async Task<HttpResponseMessage> GetAsync(string path, string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await Client.SendAsync(request).WaitAsync(Timeout);
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>().WaitAsync(Timeout);

    /// <summary>Files under the storage folder outside the staging area.</summary>
    public IReadOnlyList<string> StoredFiles() =>
        Directory.EnumerateFiles(Paths.StorageDir, "*", SearchOption.AllDirectories)
            .Where(f => !f.StartsWith(Paths.IncomingDir, StringComparison.Ordinal))
            .ToList();

    public IReadOnlyList<string> StagedFiles() =>
        Directory.Exists(Paths.IncomingDir) ? Directory.EnumerateFiles(Paths.IncomingDir, "*", SearchOption.AllDirectories).ToList() : [];

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await app.StopAsync().WaitAsync(Timeout);
        await app.DisposeAsync();
        if (postgres is not null)
        {
            await postgres.DisposeAsync().AsTask().WaitAsync(Timeout);
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Tokens.Dispose();
        root.Dispose();

        // Refusals are warnings at most; an error line means an endpoint failed in a way no test asked for.
        // (Migrating a fresh database logs an expected EF error first; only lines after start-up count.)
        Assert.DoesNotContain(Logs.Lines.Skip(linesBeforeRequests), l => l.Level >= LogLevel.Error);
    }

    private static (string Certificate, string Key) WriteSelfSignedCa(TempDirectory root)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=LxAnnotate test node CA", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var certificatePath = root.Combine("node-ca.pem");
        var keyPath = root.Combine("node-ca.key.pem");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return (certificatePath, keyPath);
    }
}
