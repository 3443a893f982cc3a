using LxAnnotate.Node.Hosting;

namespace LxAnnotate.Node.Outbox;

/// <summary>
/// Opens the outbox and repairs interrupted takes before the watcher or the sync worker start. The repair runs only when
/// no other node process works on this outbox (<see cref="NodeProcessLock"/>): with <c>lxa-node run</c> live, a
/// <c>push</c> leaves items mid-take to it, and the next process that starts alone repairs what a crash left.
/// </summary>
internal sealed partial class OutboxInitializer(OutboxStore outbox, TakingRepair repair, NodeSettings settings, ILogger<OutboxInitializer> logger)
    : IHostedService, IDisposable
{
    private static readonly TimeSpan SharePoll = TimeSpan.FromMilliseconds(50);
    private NodeProcessLock? processLock;

    /// <summary>Schema first (an older outbox is brought up to date), then the crash repair that reads it.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await outbox.InitializeAsync(cancellationToken);
        if (processLock is not null)
        {
            return;
        }

        var path = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(settings.OutboxDatabase))!, "processes.lock");
        var (held, alone) = NodeProcessLock.Open(path);
        processLock = held;
        if (alone)
        {
            await repair.RepairAsync(cancellationToken);
        }
        else
        {
            LogRepairLeft(logger);
        }

        await held.ShareAsync(SharePoll, () => LogWaiting(logger), cancellationToken);
    }

    public Task StartAsync(CancellationToken cancellationToken) => InitializeAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => processLock?.Dispose();

    [LoggerMessage(EventId = 4006, Level = LogLevel.Debug, Message = "Another lxa-node process works on this outbox; items it may be taking are left to it (a crash's leftovers are repaired by the next node process that starts alone)")]
    private static partial void LogRepairLeft(ILogger logger);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Information, Message = "Waiting for another lxa-node process to finish repairing the outbox")]
    private static partial void LogWaiting(ILogger logger);
}
