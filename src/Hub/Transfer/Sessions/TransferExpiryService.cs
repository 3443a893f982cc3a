using LxAnnotate.Hub.Coordination;

namespace LxAnnotate.Hub.Transfer.Sessions;

/// <summary>
/// Periodically expires abandoned transfers so partial files never pile up; among replicas only the holder of the
/// <see cref="SingletonLease"/> sweeps, and another replica takes over at its next tick when the holder dies.
/// </summary>
internal sealed partial class TransferExpiryService(
    IServiceScopeFactory scopes, SingletonLease lease, TransferOptions options, ILogger<TransferExpiryService> logger) : BackgroundService
{
    /// <summary>A quarter of the expiry, between 5 s and 10 min: also how soon the lease moves after its holder dies.</summary>
    public static TimeSpan Period(TransferOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return TimeSpan.FromTicks(Math.Clamp(options.ExpireAfter.Ticks / 4, TimeSpan.FromSeconds(5).Ticks, TimeSpan.FromMinutes(10).Ticks));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period(options));
        do
        {
            try
            {
                if (await lease.HoldAsync(stoppingToken))
                {
                    await using var scope = scopes.CreateAsyncScope();
                    await scope.ServiceProvider.GetRequiredService<AbandonedTransfers>().ExpireAbandonedAsync(stoppingToken);
                }
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
