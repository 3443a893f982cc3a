using LxAnnotate.Hub.Data;
using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Ingest;
using LxAnnotate.Hub.Storage.Encryption;
using LxAnnotate.Hub.Transfer;
using LxAnnotate.Shared.Configuration;
using LxAnnotate.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LxAnnotate.Hub.Tests.Support;

/// <summary>
/// The ingest core wired as the binaries wire it, on a temp data root and a fresh SQLite file or
/// PostgreSQL database, with the schema migrated.
/// </summary>
public sealed class IngestHarness : IAsyncDisposable
{
    private readonly TempDirectory root;
    private readonly PostgresTestDatabase? postgres;
    private readonly ServiceProvider services;

    private IngestHarness(TempDirectory root, PostgresTestDatabase? postgres, ServiceProvider services, LxaRuntimeSettings settings, CapturingLoggerProvider logs)
    {
        this.root = root;
        Logs = logs;
        this.postgres = postgres;
        this.services = services;
        Settings = settings;
    }

    public LxaRuntimeSettings Settings { get; }

    public IServiceProvider Services => services;

    public CapturingLoggerProvider Logs { get; }

    public static async Task<IngestHarness> CreateAsync(
        TestDatabaseKind kind,
        DeploymentRole role = DeploymentRole.Standalone,
        string? defaultCenter = null,
        IReadOnlyDictionary<string, string>? extraEnvironment = null,
        TimeProvider? time = null,
        TransferOptions? transferOptions = null,
        Action<IServiceCollection>? configure = null)
    {
        var root = new TempDirectory();
        var postgres = kind == TestDatabaseKind.PostgreSql ? await PostgresTestDatabase.CreateAsync() : null;
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["ENDOREG_DEPLOYMENT_ROLE"] = role.ToWireName(),
            ["LX_ANNOTATE_ENCRYPTED_DATA_DIR"] = root.Path,
            ["LX_ANNOTATE_DEFAULT_CENTER"] = defaultCenter,
        };
        if (postgres is not null)
        {
            environment["DATABASE_URL"] = postgres.Url;
        }

        foreach (var (key, value) in extraEnvironment ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        var settings = RuntimeSettingsResolver.Resolve(key => environment.GetValueOrDefault(key));
        settings.Paths.EnsureCreated();

        var logs = new CapturingLoggerProvider();
        var collection = new ServiceCollection();
        collection.AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Information));
        collection.AddSingleton(settings).AddSingleton(settings.Paths).AddSingleton(settings.Database);
        collection.AddSingleton(EncryptionSettingsResolver.Resolve(key => environment.GetValueOrDefault(key), settings.Role));
        if (time is not null)
        {
            collection.AddSingleton(time);
        }

        collection.AddLxaDatabase(settings.Database).AddIngestCore().AddTransferReceiver(transferOptions ?? new TransferOptions());
        configure?.Invoke(collection);
        var provider = collection.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });

        var harness = new IngestHarness(root, postgres, provider, settings, logs);
        await using var scope = provider.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);
        return harness;
    }

    public async Task<Center> AddCenterAsync(string centerKey)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LxaDbContext>();
        var center = new Center { CenterKey = centerKey, Name = centerKey, CreatedAt = DateTimeOffset.UtcNow };
        db.Centers.Add(center);
        await db.SaveChangesAsync();
        return center;
    }

    /// <summary>Runs one ingest in its own DI scope, as one request would.</summary>
    public async Task<IngestResult> IngestAsync(IngestRequest request, byte[] content, long maxBytes = long.MaxValue)
    {
        await using var scope = services.CreateAsyncScope();
        var ingest = scope.ServiceProvider.GetRequiredService<IngestService>();
        using var stream = new MemoryStream(content, writable: false);
        return await ingest.IngestAsync(request, stream, maxBytes, CancellationToken.None);
    }

    /// <summary>Runs one <see cref="IngestService.IngestManyAsync"/> in its own DI scope, as one <c>DeliverMany</c> call would.</summary>
    public async Task<IReadOnlyList<IngestItemOutcome>> IngestManyAsync(IReadOnlyList<IngestItem> items, long maxBytes = long.MaxValue, int parallelism = 4)
    {
        await using var scope = services.CreateAsyncScope();
        var ingest = scope.ServiceProvider.GetRequiredService<IngestService>();
        return await ingest.IngestManyAsync(items, maxBytes, parallelism, CancellationToken.None);
    }

    public async Task<T> WithDbAsync<T>(Func<LxaDbContext, Task<T>> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        await using var scope = services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<LxaDbContext>());
    }

    /// <summary>Every file under the storage folder, relative to it, excluding the staging area.</summary>
    public IReadOnlyList<string> StoredFiles() =>
        Directory.EnumerateFiles(Settings.Paths.StorageDir, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Settings.Paths.StorageDir, f))
            .Where(f => !f.StartsWith("incoming", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();

    public IReadOnlyList<string> StagedFiles() =>
        Directory.Exists(Settings.Paths.IncomingDir)
            ? Directory.EnumerateFiles(Settings.Paths.IncomingDir, "*", SearchOption.AllDirectories).ToList()
            : [];

    public async ValueTask DisposeAsync()
    {
        await services.DisposeAsync();
        if (postgres is not null)
        {
            await postgres.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        root.Dispose();
    }
}
