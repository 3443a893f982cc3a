using LxAnnotate.Node.Hosting;

namespace LxAnnotate.Node.SapImport;

/// <summary>
/// Part of <c>lxa-node run</c>: scans <c>import/sap_import/</c> every <c>WATCHER_POLL_INTERVAL_SECONDS</c>
/// (sooner when an archive becomes stable) and converts what is ready.
/// </summary>
internal sealed partial class SapImportWatcher(SapImportFolder folder, NodeSettings settings, TimeProvider time, ILogger<SapImportWatcher> logger) : BackgroundService
{
    private static readonly TimeSpan MinimumWait = TimeSpan.FromMilliseconds(50);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        LogWatching(logger);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var wait = settings.PollInterval;
                try
                {
                    var scan = await folder.ScanOnceAsync(stoppingToken);
                    if (scan.NextLook is { } due && due - time.GetUtcNow() < wait)
                    {
                        wait = due - time.GetUtcNow();
                    }
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // Moving an archive aside failed (disk full, permissions): it stays and is tried again.
                    LogScanFailed(logger, ex.GetType().Name);
                }

                await Task.Delay(wait < MinimumWait ? MinimumWait : wait, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(EventId = 4311, Level = LogLevel.Information, Message = "Watching import/sap_import for SAP IS-H archives")]
    private static partial void LogWatching(ILogger logger);

    [LoggerMessage(EventId = 4312, Level = LogLevel.Warning, Message = "Scanning import/sap_import failed ({ErrorType}); retrying")]
    private static partial void LogScanFailed(ILogger logger, string errorType);
}
