using System.Threading.Channels;
using LxAnnotate.Node.Hosting;

namespace LxAnnotate.Node.Outbox;

/// <summary>
/// The node's durable outbox, as the sender sees it: the items and their states (queued, offered,
/// uploading, done, failed), what is due, and the wake-up when something new was taken. Taking files in is
/// <see cref="OutboxIntake"/>'s; both share one SQLite file (<see cref="OutboxDatabase"/>).
/// </summary>
internal sealed class OutboxStore(OutboxDatabase database, NodeSettings settings, TimeProvider time)
{
    private readonly Channel<bool> wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly List<PendingUpdate> pendingUpdates = [];
    private bool writingUpdates;

    /// <summary>Creates the outbox folder and the schema (or brings an older outbox up to date).</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(settings.OutboxDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
        await using var connection = await database.OpenAsync(cancellationToken);
        await OutboxSchema.EnsureAsync(connection, database.Path, cancellationToken);
    }

    /// <summary>Waits until something is admitted or <paramref name="max"/> passes.</summary>
    public async Task WaitForWorkAsync(TimeSpan max, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(max);
        try
        {
            await wake.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }
    }

    public void Wake() => wake.Writer.TryWrite(true);

    public async Task<OutboxItem?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var items = await OutboxRows.QueryAsync(connection, "SELECT * FROM outbox_items WHERE id = $id", [("$id", id.ToString())], cancellationToken);
        return items.Count == 0 ? null : items[0];
    }

    /// <summary>Items waiting for the hub whose next attempt is due, oldest first; optionally only some.</summary>
    public async Task<IReadOnlyList<OutboxItem>> DueAsync(int max, IReadOnlyCollection<Guid> exclude, IReadOnlyCollection<Guid>? only, CancellationToken cancellationToken)
    {
        var parameters = new List<(string Name, object? Value)> { ("$now", time.GetUtcNow().ToUnixTimeMilliseconds()), ("$limit", max + exclude.Count) };
        var filter = "";
        if (only is not null)
        {
            // One JSON array parameter, not one parameter per id: a push of thousands of files asks this often.
            parameters.Add(("$only", System.Text.Json.JsonSerializer.Serialize(only.Select(id => id.ToString()).ToArray(), NodeJsonContext.Default.StringArray)));
            filter = " AND id IN (SELECT value FROM json_each($only))";
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        var due = await OutboxRows.QueryAsync(connection, $"""
            SELECT * FROM outbox_items WHERE state IN ('queued', 'offered', 'uploading') AND next_attempt_at <= $now{filter}
            ORDER BY next_attempt_at, created_at LIMIT $limit
            """, [.. parameters], cancellationToken);
        return due.Where(i => !exclude.Contains(i.Id)).Take(max).ToList();
    }

    public Task MarkAsync(Guid id, string state, string? transferId, CancellationToken cancellationToken) =>
        UpdateAsync(id, "state = $state, transfer_id = ifnull($transfer, transfer_id)", cancellationToken, ("$state", state), ("$transfer", transferId));

    public Task MarkDoneAsync(Guid id, string uploadJobId, CancellationToken cancellationToken) =>
        UpdateAsync(id, "state = 'done', upload_job_id = $job, last_error = NULL", cancellationToken, ("$job", uploadJobId));

    public Task ScheduleRetryAsync(Guid id, string error, TimeSpan delay, CancellationToken cancellationToken) =>
        UpdateAsync(id, "attempts = attempts + 1, last_error = $error, next_attempt_at = $next", cancellationToken,
            ("$error", error), ("$next", (time.GetUtcNow() + delay).ToUnixTimeMilliseconds()));

    public Task MarkFailedAsync(Guid id, string error, CancellationToken cancellationToken) =>
        UpdateAsync(id, "state = 'failed', attempts = attempts + 1, last_error = $error", cancellationToken, ("$error", error));

    public async Task<IReadOnlyDictionary<string, int>> CountsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT state, count(*) FROM outbox_items GROUP BY state";
        var counts = OutboxState.All.Where(s => s != OutboxState.Taking).ToDictionary(s => s, _ => 0, StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            counts[reader.GetString(0)] = reader.GetInt32(1);
        }

        return counts;
    }

    public async Task<IReadOnlyList<OutboxItem>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await OutboxRows.QueryAsync(connection, "SELECT * FROM outbox_items ORDER BY created_at", [], cancellationToken);
    }

    /// <summary>
    /// Updates one item; returns once the change is committed durably. Updates that arrive while a commit is
    /// running are written together in the next transaction (group commit): with many items in flight each
    /// of them still waits for its own durable commit, but they share the fsync.
    /// </summary>
    private async Task UpdateAsync(Guid id, string assignments, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        var update = new PendingUpdate(
            $"UPDATE outbox_items SET {assignments}, updated_at = $now WHERE id = $id",
            [.. parameters, ("$id", id.ToString()), ("$now", time.GetUtcNow().ToUnixTimeMilliseconds())]);
        bool lead;
        lock (pendingUpdates)
        {
            pendingUpdates.Add(update);
            lead = !writingUpdates;
            writingUpdates = true;
        }

        if (lead)
        {
            _ = Task.Run(WriteUpdatesAsync, CancellationToken.None);
        }

        await update.Committed.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Writes queued updates, each batch in one transaction, until none are left.</summary>
    private async Task WriteUpdatesAsync()
    {
        while (true)
        {
            List<PendingUpdate> batch;
            lock (pendingUpdates)
            {
                if (pendingUpdates.Count == 0)
                {
                    writingUpdates = false;
                    return;
                }

                batch = [.. pendingUpdates];
                pendingUpdates.Clear();
            }

            try
            {
                await using var connection = await database.OpenAsync(CancellationToken.None);
                await OutboxDatabase.InTransactionAsync(connection, async () =>
                {
                    foreach (var update in batch)
                    {
                        await OutboxDatabase.ExecuteAsync(connection, update.Sql, CancellationToken.None, update.Parameters);
                    }
                }, CancellationToken.None);
                foreach (var update in batch)
                {
                    update.Committed.TrySetResult();
                }
            }
            catch (Exception ex)
            {
                foreach (var update in batch)
                {
                    update.Committed.TrySetException(ex);
                }
            }
        }
    }
}
