using LxAnnotate.Shared.Configuration;
using Prometheus;

namespace LxAnnotate.Hub.Metrics;

/// <summary><c>GET /metrics</c>: the text exposition format, to whoever <see cref="MetricsAccess"/> lets in; the gauges are read first.</summary>
internal static partial class MetricsEndpoint
{
    public const string Path = "/metrics";

    public static async Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var services = context.RequestServices;
        if (!MetricsAccess.IsAllowed(context, services.GetRequiredService<MetricsOptions>()))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        var metrics = services.GetRequiredService<HubMetrics>();
        await CollectGaugesAsync(services, metrics, context.RequestAborted);
        context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
        await metrics.Registry.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted);
    }

    /// <summary>A database or storage outage leaves these gauges at their last values and counts the failed read; the scrape still answers.</summary>
    private static async Task CollectGaugesAsync(IServiceProvider services, HubMetrics metrics, CancellationToken cancellationToken)
    {
        var logger = services.GetRequiredService<ILogger<HubMetrics>>();
        try
        {
            await services.GetRequiredService<DatabaseGauges>().CollectAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            metrics.CollectErrors.WithLabels("database").Inc();
            LogCollectFailed(logger, "database", ex.GetType().Name);
        }

        try
        {
            StorageGauges.Collect(metrics, services.GetRequiredService<DataPaths>().StorageDir);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            metrics.CollectErrors.WithLabels("storage").Inc();
            LogCollectFailed(logger, "storage", ex.GetType().Name);
        }
    }

    [LoggerMessage(EventId = 3501, Level = LogLevel.Warning, Message = "Metrics: the {Source} gauges could not be read ({ErrorType}); they keep their previous values")]
    private static partial void LogCollectFailed(ILogger logger, string source, string errorType);
}
