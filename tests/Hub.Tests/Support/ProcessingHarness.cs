using LxAnnotate.Hub.Data;
using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Ingest;
using LxAnnotate.Hub.Processing.Pipeline;
using LxAnnotate.Hub.Processing.Worker;
using LxAnnotate.Hub.Processing;
using LxAnnotate.Hub.Tests.Processing.Media;
using LxAnnotate.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LxAnnotate.Hub.Tests.Support;

/// <summary>
/// Jobs ingested through the real ingest core (standalone, center <c>center-a</c>) on SQLite or PostgreSQL,
/// and the processing services wired as <c>lxa-hub worker</c> wires them, on a clock the test moves.
/// </summary>
internal sealed class ProcessingHarness : IAsyncDisposable
{
    public const string Center = "center-a";
    public const string Salt = "test-salt-1";

    private readonly IngestHarness ingest;
    private readonly ServiceProvider services;

    private ProcessingHarness(IngestHarness ingest, ServiceProvider services, ManualTimeProvider clock, WorkerSettings settings)
    {
        this.ingest = ingest;
        this.services = services;
        Clock = clock;
        Settings = settings;
    }

    public ManualTimeProvider Clock { get; }

    public WorkerSettings Settings { get; }

    public IServiceProvider Services => services;

    public string StorageDir => ingest.Settings.Paths.StorageDir;

    /// <param name="ingestEnvironment">Extra settings of the ingest side (a master key there stores PDFs, text and JSON encrypted).</param>
    public static async Task<ProcessingHarness> CreateAsync(
        TestDatabaseKind kind, Action<IServiceCollection>? configure = null, IReadOnlyDictionary<string, string>? ingestEnvironment = null)
    {
        var now = DateTimeOffset.UtcNow;
        var clock = new ManualTimeProvider(new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero));
        var ingest = await IngestHarness.CreateAsync(kind, defaultCenter: Center, extraEnvironment: ingestEnvironment, time: clock);
        await ingest.AddCenterAsync(Center);
        var settings = FfprobeVideoProbeTests.Settings();
        var collection = new ServiceCollection();
        collection.AddLogging(b => b.AddProvider(ingest.Logs).SetMinimumLevel(LogLevel.Information));
        collection.AddSingleton<TimeProvider>(clock);
        collection.AddSingleton(ingest.Settings.Paths);
        collection.AddLxaDatabase(ingest.Settings.Database).AddProcessing(settings, Salt);
        collection.AddSingleton<ProcessingWorker>();
        configure?.Invoke(collection);
        return new ProcessingHarness(ingest, collection.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true }), clock, settings);
    }

    public CapturingLoggerProvider Logs => ingest.Logs;

    /// <summary>Ingests <paramref name="content"/> as an API upload and returns the new job's id.</summary>
    public async Task<Guid> AddJobAsync(byte[] content, string contentType = "video/mp4", IReadOnlyDictionary<string, string>? hints = null)
    {
        var result = await ingest.IngestAsync(new IngestRequest
        {
            Boundary = IngestMode.Api,
            Entrypoint = "api.upload",
            Caller = CallerIdentity.Anonymous,
            SourceSystem = "endoscopy",
            ContentType = contentType,
            OriginalFilename = "clip.mp4",
            ProvenanceHints = hints,
        }, content);
        Assert.True(result.Created);
        return result.Job.Id;
    }

    public Task<Guid> AddJobAsync() => AddJobAsync(Guid.NewGuid().ToByteArray());

    public async Task<T> QueueAsync<T>(Func<JobQueue, Task<T>> action)
    {
        await using var scope = services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<JobQueue>());
    }

    public Task<JobLease?> ClaimAsync(string owner) => QueueAsync(q => q.ClaimAsync(owner, Settings.LeaseDuration, CancellationToken.None));

    public Task<CompletedJob?> CompleteAsync(JobLease lease, ProcessingOutcome outcome) => QueueAsync(q => q.CompleteAsync(lease, outcome, CancellationToken.None));

    public Task<UploadJob> JobAsync(Guid id) => WithDbAsync(db => db.UploadJobs.AsNoTracking().FirstAsync(j => j.Id == id));

    public async Task<T> WithDbAsync<T>(Func<LxaDbContext, Task<T>> action)
    {
        await using var scope = services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<LxaDbContext>());
    }

    public async ValueTask DisposeAsync()
    {
        await services.DisposeAsync();
        await ingest.DisposeAsync();
    }
}
