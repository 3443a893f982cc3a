using Prometheus;

namespace LxAnnotate.Hub.Metrics;

/// <summary>Serves the worker's metrics on <c>LXA_HUB_WORKER_METRICS_URL</c> (loopback only) while the worker runs.</summary>
internal sealed partial class WorkerMetricsServer(WorkerMetrics metrics, MetricsOptions options, ILogger<WorkerMetricsServer> logger) : IHostedService, IDisposable
{
    private KestrelMetricServer? server;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.WorkerUrl is { } url)
        {
            server = new KestrelMetricServer(url.Host.Trim('[', ']'), url.Port, url.AbsolutePath == "/" ? "/metrics" : url.AbsolutePath, metrics.Registry);
            server.Start();
            LogListening(logger, url.ToString());
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (server is not null)
        {
            await server.StopAsync();
        }
    }

    public void Dispose() => server?.Dispose();

    [LoggerMessage(EventId = 2901, Level = LogLevel.Information, Message = "Worker metrics on {Url}")]
    private static partial void LogListening(ILogger logger, string url);
}
