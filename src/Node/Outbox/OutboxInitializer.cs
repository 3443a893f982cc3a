namespace LxAnnotate.Node.Outbox;

/// <summary>Opens the outbox and repairs interrupted takes before the watcher or the sync worker start.</summary>
internal sealed class OutboxInitializer(OutboxStore outbox) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => outbox.InitializeAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
