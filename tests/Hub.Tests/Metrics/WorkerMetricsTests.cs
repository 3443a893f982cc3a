using LxAnnotate.Hub.Metrics;
using LxAnnotate.Hub.Processing.Worker;
using LxAnnotate.Hub.Tests.Support;
using LxAnnotate.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace LxAnnotate.Hub.Tests.Metrics;

/// <summary>The worker's metrics after a real claim-process-write round, served on its loopback listener.</summary>
public sealed class WorkerMetricsTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Theory]
    [InlineData(TestDatabaseKind.PostgreSql)]
    [InlineData(TestDatabaseKind.Sqlite)]
    public async Task RunOnce_UndecodableVideo_StagesTimedFinishedCountedAndServedOnLoopback(TestDatabaseKind kind)
    {
        await using var harness = await ProcessingHarness.CreateAsync(kind);
        await harness.AddJobAsync(UploadContent.Mp4(5000));
        var worker = harness.Services.GetRequiredService<ProcessingWorker>();

        Assert.True(await worker.RunOnceAsync(CancellationToken.None).WaitAsync(Timeout));
        Assert.False(await worker.RunOnceAsync(CancellationToken.None).WaitAsync(Timeout));

        var metrics = harness.Services.GetRequiredService<WorkerMetrics>();
        var url = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        using var server = new WorkerMetricsServer(metrics, new MetricsOptions { WorkerUrl = url }, NullLogger<WorkerMetricsServer>.Instance);
        await server.StartAsync(CancellationToken.None);
        using var http = new HttpClient { Timeout = Timeout };
        var scraped = ScrapedMetrics.Parse(await http.GetStringAsync(new Uri(url, "/metrics")));
        await server.StopAsync(CancellationToken.None);

        Assert.Equal(2, scraped.Value("lxa_worker_stage_duration_seconds_count", ("stage", "claim"), ("content_kind", "none")));
        Assert.Equal(1, scraped.Value("lxa_worker_stage_duration_seconds_count", ("stage", "pipeline"), ("content_kind", "video")));
        Assert.Equal(1, scraped.Value("lxa_worker_stage_duration_seconds_count", ("stage", "complete"), ("content_kind", "none")));
        Assert.Equal(1, scraped.Value("lxa_worker_jobs_finished_total", ("status", "error"), ("error_code", "media_integrity_failed")));
        Assert.Equal(0, scraped.Value("lxa_worker_database_errors_total"));
    }
}
