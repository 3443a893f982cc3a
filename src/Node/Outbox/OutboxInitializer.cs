namespace LxAnnotate.Node.Outbox;

/// <summary>Opens the outbox and repairs interrupted takes before the watcher or the sync worker start.</summary>
internal sealed class OutboxInitializer(OutboxStore outbox, TakingRepair repair) : IHostedService
{
    /// <summary>Schema first (an older outbox is brought up to date), then the crash repair that reads it.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await outbox.InitializeAsync(cancellationToken);
        await repair.RepairAsync(cancellationToken);
    }

    public Task StartAsync(CancellationToken cancellationToken) => InitializeAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
