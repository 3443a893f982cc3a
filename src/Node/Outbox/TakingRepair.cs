using LxAnnotate.Node.Hosting;
using LxAnnotate.Shared.Storage;
using Microsoft.Data.Sqlite;

namespace LxAnnotate.Node.Outbox;

/// <summary>
/// Finishes, at start, what a crash interrupted between recording an item (<c>taking</c>) and bringing its
/// file in: a file is never lost or doubled.
/// </summary>
internal sealed partial class TakingRepair(OutboxDatabase database, NodeSettings settings, ILogger<TakingRepair> logger)
{
    public async Task RepairAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        foreach (var item in await OutboxRows.QueryAsync(connection, "SELECT * FROM outbox_items WHERE state = 'taking'", [], cancellationToken))
        {
            await RepairAsync(connection, item, cancellationToken);
        }
    }

    private async Task RepairAsync(SqliteConnection connection, OutboxItem item, CancellationToken cancellationToken)
    {
        string state;
        if (File.Exists(item.StoredPath))
        {
            state = OutboxState.Queued;
        }
        else if (File.Exists(item.SourcePath))
        {
            // Finish the take the way it was started: a drop-folder file moves in, a pushed file stays where
            // the operator keeps it (linked or copied in; a half-written copy from the crash is discarded).
            var mode = item.Entrypoint == OutboxArtifact.PushEntrypoint ? TakeMode.Copy : TakeMode.Move;
            File.Delete(item.StoredPath + ".copying");
            await FileTaking.BringInAsync(item.SourcePath, item.StoredPath, mode, cancellationToken);
            NativeFileSystem.FsyncDirectory(settings.OutboxDir);
            state = OutboxState.Queued;
        }
        else
        {
            state = OutboxState.Failed;
        }

        await OutboxDatabase.ExecuteAsync(connection, "UPDATE outbox_items SET state = $state, last_error = $error WHERE id = $id", cancellationToken,
            ("$state", state), ("$error", state == OutboxState.Failed ? "The file vanished while it was being taken." : null), ("$id", item.Id.ToString()));
        LogRepaired(logger, item.Id, state);
    }

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "Repaired outbox item {ItemId} left mid-take by a crash: now {State}")]
    private static partial void LogRepaired(ILogger logger, Guid itemId, string state);
}
