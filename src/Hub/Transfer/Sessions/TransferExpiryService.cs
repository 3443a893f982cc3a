namespace LxAnnotate.Hub.Transfer.Sessions;

/// <summary>Periodically expires abandoned transfers so partial files never pile up.</summary>
internal sealed partial class TransferExpiryService(IServiceScopeFactory scopes, TransferOptions options, ILogger<TransferExpiryService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var period = TimeSpan.FromTicks(Math.Clamp(options.ExpireAfter.Ticks / 4, TimeSpan.FromSeconds(5).Ticks, TimeSpan.FromMinutes(10).Ticks));
        using var timer = new PeriodicTimer(period);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<AbandonedTransfers>().ExpireAbandonedAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A database hiccup must not stop the sweeper; the next tick tries again.
                LogSweepFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(EventId = 3008, Level = LogLevel.Warning, Message = "Sweeping abandoned transfers failed")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
