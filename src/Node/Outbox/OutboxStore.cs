using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Threading.Channels;
using LxAnnotate.Node.Files;
using LxAnnotate.Node.Hosting;
using LxAnnotate.Shared.Storage;
using Microsoft.Data.Sqlite;

namespace LxAnnotate.Node.Outbox;

/// <summary>
/// The node's durable outbox: a SQLite file (WAL, synchronous=FULL) plus a folder on the same
/// filesystem as the drop folders. Taking a file is: record it (<c>taking</c>), rename it in, mark it
/// <c>queued</c>; a crash between the steps is repaired at start, so a file is never lost or doubled.
/// </summary>
internal sealed partial class OutboxStore(NodeSettings settings, TimeProvider time, ILogger<OutboxStore> logger) : IOutbox
{
    private const int SchemaVersion = 2;

    private readonly Channel<bool> wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly List<PendingUpdate> pendingUpdates = [];
    private bool writingUpdates;

    /// <summary>Creates folders and schema and repairs items a crash left in <c>taking</c>.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(settings.OutboxDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
        await using var connection = await OpenAsync(cancellationToken);
        await ExecuteAsync(connection, "PRAGMA journal_mode=WAL;", cancellationToken);
        await using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA user_version;";
            var version = Convert.ToInt32(await pragma.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
            if (version > SchemaVersion)
            {
                throw new InvalidOperationException($"The outbox {settings.OutboxDatabase} was written by a newer lxa-node (schema {version}).");
            }
        }

        await ExecuteAsync(connection, """
            CREATE TABLE IF NOT EXISTS outbox_items (
                id TEXT PRIMARY KEY,
                state TEXT NOT NULL,
                stored_path TEXT NOT NULL,
                sidecar_path TEXT,
                source_path TEXT NOT NULL,
                original_filename TEXT,
                content_type TEXT NOT NULL,
                entrypoint TEXT NOT NULL,
                center_key TEXT,
                source_system TEXT NOT NULL,
                sha256 TEXT NOT NULL,
                size_bytes INTEGER NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at INTEGER NOT NULL,
                last_error TEXT,
                transfer_id TEXT,
                upload_job_id TEXT,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL);
            CREATE UNIQUE INDEX IF NOT EXISTS ux_outbox_items_content
                ON outbox_items (sha256, size_bytes, content_type, ifnull(center_key, '')) WHERE state <> 'failed';
            CREATE INDEX IF NOT EXISTS ix_outbox_items_due ON outbox_items (state, next_attempt_at);
            CREATE TABLE IF NOT EXISTS hash_cache (
                path TEXT PRIMARY KEY,
                size_bytes INTEGER NOT NULL,
                inode INTEGER NOT NULL,
                mtime_ns INTEGER NOT NULL,
                ctime_ns INTEGER NOT NULL,
                sha256 TEXT NOT NULL);
            PRAGMA user_version = 2;
            """, cancellationToken);

        foreach (var item in await QueryAsync(connection, "SELECT * FROM outbox_items WHERE state = 'taking'", [], cancellationToken))
        {
            await RepairTakingAsync(connection, item, cancellationToken);
        }
    }

    public async Task<AdmitOutcome> AdmitAsync(OutboxArtifact artifact, CancellationToken cancellationToken) =>
        (await AdmitAsync(artifact, TakeMode.Move, cancellationToken)).Outcome;

    /// <summary>
    /// Takes the artifact; returns the outcome and the id of the item that holds its content. With
    /// <paramref name="askHub"/> (push), the hub is asked about the content before anything is copied:
    /// when it answers with an upload job id, the item is recorded as delivered and nothing is taken.
    /// </summary>
    public async Task<(AdmitOutcome Outcome, Guid ItemId)> AdmitAsync(
        OutboxArtifact artifact, TakeMode mode, CancellationToken cancellationToken, Func<OutboxItem, CancellationToken, Task<string?>>? askHub = null)
    {
        ArgumentNullException.ThrowIfNull(artifact);

        // A file left where it is (push) may be pushed again unchanged: its hash is cached by its identity.
        var (sha256, size) = mode == TakeMode.Copy
            ? await HashCachedAsync(artifact.SourcePath, cancellationToken)
            : await HashAsync(artifact.SourcePath, cancellationToken);
        if (artifact.ExpectedSha256 is { } expected && !string.Equals(expected, sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArtifactRefusedException("file_sha256 in the sidecar does not match the file.");
        }

        await using var connection = await OpenAsync(cancellationToken);
        if (await FindActiveAsync(connection, sha256, size, artifact, cancellationToken) is { } existing)
        {
            return (Duplicate(artifact, mode), existing.Id);
        }

        var now = time.GetUtcNow();
        var id = Guid.CreateVersion7(now);
        var stored = Path.Combine(settings.OutboxDir, id.ToString("N") + Path.GetExtension(artifact.SourcePath).ToLowerInvariant());
        var sidecar = artifact.SidecarPath is null ? null : Path.Combine(settings.OutboxDir, id.ToString("N") + ".sidecar.json");
        if (askHub is not null)
        {
            var offered = new OutboxItem
            {
                Id = id, State = OutboxState.Queued, StoredPath = stored, SidecarPath = sidecar, SourcePath = artifact.SourcePath,
                OriginalFilename = Path.GetFileName(artifact.SourcePath), ContentType = artifact.ContentType, Entrypoint = artifact.Entrypoint,
                CenterKey = artifact.CenterKey, SourceSystem = artifact.SourceSystem, Sha256 = sha256, SizeBytes = size,
            };
            if (await askHub(offered, cancellationToken) is { } uploadJobId)
            {
                return await RecordDeliveredAsync(connection, offered, uploadJobId, now, cancellationToken);
            }
        }

        try
        {
            await ExecuteAsync(connection, """
                INSERT INTO outbox_items (id, state, stored_path, sidecar_path, source_path, original_filename, content_type, entrypoint,
                    center_key, source_system, sha256, size_bytes, next_attempt_at, created_at, updated_at)
                VALUES ($id, 'taking', $stored, $sidecar, $source, $name, $type, $entry, $center, $system, $sha, $size, $now, $now, $now)
                """, cancellationToken,
                ("$id", id.ToString()), ("$stored", stored), ("$sidecar", sidecar), ("$source", artifact.SourcePath),
                ("$name", Path.GetFileName(artifact.SourcePath)), ("$type", artifact.ContentType), ("$entry", artifact.Entrypoint),
                ("$center", artifact.CenterKey), ("$system", artifact.SourceSystem), ("$sha", sha256), ("$size", size), ("$now", now.ToUnixTimeMilliseconds()));
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == 19)
        {
            // The same content was taken concurrently (e.g. by a push while the watcher saw the drop).
            var winner = await FindActiveAsync(connection, sha256, size, artifact, cancellationToken);
            return (Duplicate(artifact, mode), winner?.Id ?? Guid.Empty);
        }

        await BringInAsync(artifact.SourcePath, stored, mode, cancellationToken);
        if (artifact.SidecarPath is not null)
        {
            await BringInAsync(artifact.SidecarPath, sidecar!, mode, cancellationToken);
        }

        NativeFileSystem.FsyncDirectory(settings.OutboxDir);
        if (mode == TakeMode.Move)
        {
            NativeFileSystem.FsyncDirectory(Path.GetDirectoryName(artifact.SourcePath)!);
        }

        await ExecuteAsync(connection, "UPDATE outbox_items SET state = 'queued', updated_at = $now WHERE id = $id", cancellationToken,
            ("$id", id.ToString()), ("$now", time.GetUtcNow().ToUnixTimeMilliseconds()));
        LogAdmitted(logger, id, artifact.Entrypoint, size);
        wake.Writer.TryWrite(true);
        return (AdmitOutcome.Admitted, id);
    }

    /// <summary>
    /// SHA-256 and size of a file, from the cache when the file's identity (path, size, inode, mtime, ctime)
    /// is unchanged since it was hashed; a hash is cached only when the identity did not move while hashing.
    /// </summary>
    public async Task<(string Sha256, long Size)> HashCachedAsync(string path, CancellationToken cancellationToken)
    {
        var (sha256, size, toCache) = await LookUpOrHashAsync(path, cancellationToken);
        if (toCache is not null)
        {
            await using var connection = await OpenAsync(cancellationToken);
            await CacheHashesAsync(connection, [(toCache, sha256)], cancellationToken);
        }

        return (sha256, size);
    }

    /// <summary>
    /// Takes many files for <c>push</c> (left in place: hard-linked or copied) with a few durable writes for the
    /// whole list instead of several per file: files are hashed (cache first) and offered
    /// (<paramref name="askHub"/>, up to <paramref name="parallelism"/> at once), all rows are recorded as
    /// <c>taking</c> (or <c>done</c> when the hub already stores the content) in one transaction, the files are
    /// linked in and fsynced, the outbox folder fsynced once, and all rows marked <c>queued</c> in one
    /// transaction. The crash repair of <c>taking</c> rows is the same as for a single file.
    /// </summary>
    public async Task<IReadOnlyList<(AdmitOutcome Outcome, Guid ItemId)>> AdmitCopiesAsync(
        IReadOnlyList<OutboxArtifact> artifacts,
        int parallelism,
        Func<OutboxItem, CancellationToken, Task<string?>>? askHub,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(artifacts);
        var count = artifacts.Count;
        var results = new (AdmitOutcome Outcome, Guid ItemId)[count];
        if (count == 0)
        {
            return results;
        }

        // Hashing is bounded by the cores (and the disk); offers by the channel's concurrency.
        var hashes = new (string Sha256, long Size, FileIdentity? ToCache)[count];
        await Parallel.ForEachAsync(Enumerable.Range(0, count),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Math.Min(parallelism, Environment.ProcessorCount)), CancellationToken = cancellationToken },
            async (i, token) => hashes[i] = await LookUpOrHashAsync(artifacts[i].SourcePath, token));

        await using var connection = await OpenAsync(cancellationToken);
        await CacheHashesAsync(connection, [.. hashes.Where(h => h.ToCache is not null).Select(h => (h.ToCache!, h.Sha256))], cancellationToken);

        var items = new OutboxItem?[count];
        var now = time.GetUtcNow();
        for (var i = 0; i < count; i++)
        {
            var artifact = artifacts[i];
            var (sha256, size, _) = hashes[i];
            if (artifact.ExpectedSha256 is { } expected && !string.Equals(expected, sha256, StringComparison.OrdinalIgnoreCase))
            {
                throw new ArtifactRefusedException($"{artifact.SourcePath}: file_sha256 in the sidecar does not match the file.");
            }

            if (await FindActiveAsync(connection, sha256, size, artifact, cancellationToken) is { } existing)
            {
                results[i] = (Duplicate(artifact, TakeMode.Copy), existing.Id);
                continue;
            }

            var id = Guid.CreateVersion7(now);
            items[i] = new OutboxItem
            {
                Id = id, State = OutboxState.Taking,
                StoredPath = Path.Combine(settings.OutboxDir, id.ToString("N") + Path.GetExtension(artifact.SourcePath).ToLowerInvariant()),
                SidecarPath = artifact.SidecarPath is null ? null : Path.Combine(settings.OutboxDir, id.ToString("N") + ".sidecar.json"),
                SourcePath = artifact.SourcePath, OriginalFilename = Path.GetFileName(artifact.SourcePath), ContentType = artifact.ContentType,
                Entrypoint = artifact.Entrypoint, CenterKey = artifact.CenterKey, SourceSystem = artifact.SourceSystem, Sha256 = sha256, SizeBytes = size,
            };
        }

        var storedJobs = new string?[count];
        if (askHub is not null)
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, count).Where(i => items[i] is not null),
                new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism), CancellationToken = cancellationToken },
                async (i, token) => storedJobs[i] = await askHub(items[i]!, token));
        }

        // One transaction records every row: taking (to be linked in) or done (the hub already stores it).
        var toTake = new List<int>();
        var stamp = now.ToUnixTimeMilliseconds();
        await InTransactionAsync(connection, async () =>
        {
            for (var i = 0; i < count; i++)
            {
                if (items[i] is not { } item)
                {
                    continue;
                }

                var inserted = await ExecuteAsync(connection, """
                    INSERT OR IGNORE INTO outbox_items (id, state, stored_path, sidecar_path, source_path, original_filename, content_type, entrypoint,
                        center_key, source_system, sha256, size_bytes, upload_job_id, next_attempt_at, created_at, updated_at)
                    VALUES ($id, $state, $stored, $sidecar, $source, $name, $type, $entry, $center, $system, $sha, $size, $job, $now, $now, $now)
                    """, cancellationToken,
                    ("$id", item.Id.ToString()), ("$state", storedJobs[i] is null ? OutboxState.Taking : OutboxState.Done), ("$stored", item.StoredPath),
                    ("$sidecar", storedJobs[i] is null ? item.SidecarPath : null), ("$source", item.SourcePath), ("$name", item.OriginalFilename),
                    ("$type", item.ContentType), ("$entry", item.Entrypoint), ("$center", item.CenterKey), ("$system", item.SourceSystem),
                    ("$sha", item.Sha256), ("$size", item.SizeBytes), ("$job", storedJobs[i]), ("$now", stamp));
                if (inserted == 0)
                {
                    // The same content earlier in this list, or taken concurrently by the watcher: that item answers for it.
                    var winner = await FindActiveAsync(connection, item.Sha256, item.SizeBytes, item.ContentType, item.CenterKey, cancellationToken);
                    results[i] = (Duplicate(artifacts[i], TakeMode.Copy), winner?.Id ?? Guid.Empty);
                }
                else if (storedJobs[i] is { } job)
                {
                    LogAlreadyStored(logger, item.Id, job);
                    results[i] = (AdmitOutcome.AlreadyStored, item.Id);
                }
                else
                {
                    toTake.Add(i);
                }
            }
        }, cancellationToken);

        await Parallel.ForEachAsync(toTake,
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism), CancellationToken = cancellationToken },
            async (i, token) =>
            {
                await BringInAsync(artifacts[i].SourcePath, items[i]!.StoredPath, TakeMode.Copy, token);
                if (artifacts[i].SidecarPath is { } sidecar)
                {
                    await BringInAsync(sidecar, items[i]!.SidecarPath!, TakeMode.Copy, token);
                }
            });
        if (toTake.Count > 0)
        {
            NativeFileSystem.FsyncDirectory(settings.OutboxDir);
        }

        await InTransactionAsync(connection, async () =>
        {
            var updated = time.GetUtcNow().ToUnixTimeMilliseconds();
            foreach (var i in toTake)
            {
                await ExecuteAsync(connection, "UPDATE outbox_items SET state = 'queued', updated_at = $now WHERE id = $id", cancellationToken,
                    ("$id", items[i]!.Id.ToString()), ("$now", updated));
            }
        }, cancellationToken);

        foreach (var i in toTake)
        {
            LogAdmitted(logger, items[i]!.Id, artifacts[i].Entrypoint, items[i]!.SizeBytes);
            results[i] = (AdmitOutcome.Admitted, items[i]!.Id);
        }

        wake.Writer.TryWrite(true);
        return results;
    }

    /// <summary>The cached hash of an unchanged file, else a fresh one plus the identity to cache it under (null: do not cache).</summary>
    private async Task<(string Sha256, long Size, FileIdentity? ToCache)> LookUpOrHashAsync(string path, CancellationToken cancellationToken)
    {
        var before = FileIdentity.Of(path);
        if (before is null)
        {
            var (plainSha, plainSize) = await HashAsync(path, cancellationToken);
            return (plainSha, plainSize, null);
        }

        await using (var connection = await OpenAsync(cancellationToken))
        await using (var lookup = connection.CreateCommand())
        {
            lookup.CommandText = """
                SELECT sha256 FROM hash_cache
                WHERE path = $path AND size_bytes = $size AND inode = $inode AND mtime_ns = $mtime AND ctime_ns = $ctime
                """;
            AddIdentity(lookup, before);
            if (await lookup.ExecuteScalarAsync(cancellationToken) is string cached)
            {
                return (cached, before.Size, null);
            }
        }

        var (sha256, size) = await HashAsync(path, cancellationToken);
        return (sha256, size, FileIdentity.Of(path) == before && size == before.Size ? before : null);
    }

    /// <summary>Stores hashes in the cache, all in one transaction.</summary>
    private static async Task CacheHashesAsync(SqliteConnection connection, IReadOnlyList<(FileIdentity Identity, string Sha256)> entries, CancellationToken cancellationToken)
    {
        if (entries.Count == 0)
        {
            return;
        }

        await InTransactionAsync(connection, async () =>
        {
            foreach (var (identity, sha256) in entries)
            {
                await using var store = connection.CreateCommand();
                store.CommandText = """
                    INSERT INTO hash_cache (path, size_bytes, inode, mtime_ns, ctime_ns, sha256) VALUES ($path, $size, $inode, $mtime, $ctime, $sha)
                    ON CONFLICT (path) DO UPDATE SET size_bytes = $size, inode = $inode, mtime_ns = $mtime, ctime_ns = $ctime, sha256 = $sha
                    """;
                AddIdentity(store, identity);
                store.Parameters.AddWithValue("$sha", sha256);
                await store.ExecuteNonQueryAsync(cancellationToken);
            }
        }, cancellationToken);
    }

    /// <summary>
    /// Runs <paramref name="body"/> as one transaction (one durable commit, one fsync of the WAL). Plain
    /// <c>BEGIN IMMEDIATE</c>/<c>COMMIT</c>, so the store's helpers run their commands inside it unchanged.
    /// </summary>
    private static async Task InTransactionAsync(SqliteConnection connection, Func<Task> body, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, "BEGIN IMMEDIATE", cancellationToken);
        try
        {
            await body();
            await ExecuteAsync(connection, "COMMIT", CancellationToken.None);
        }
        catch
        {
            try
            {
                await ExecuteAsync(connection, "ROLLBACK", CancellationToken.None);
            }
            catch (SqliteException)
            {
                // SQLite already rolled back (some errors end the transaction themselves); the original error counts.
            }

            throw;
        }
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

    public async Task<OutboxItem?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var items = await QueryAsync(connection, "SELECT * FROM outbox_items WHERE id = $id", [("$id", id.ToString())], cancellationToken);
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
            parameters.Add(("$only", System.Text.Json.JsonSerializer.Serialize(only.Select(id => id.ToString()))));
            filter = " AND id IN (SELECT value FROM json_each($only))";
        }

        await using var connection = await OpenAsync(cancellationToken);
        var due = await QueryAsync(connection, $"""
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
        await using var connection = await OpenAsync(cancellationToken);
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
        await using var connection = await OpenAsync(cancellationToken);
        return await QueryAsync(connection, "SELECT * FROM outbox_items ORDER BY created_at", [], cancellationToken);
    }

    public void Wake() => wake.Writer.TryWrite(true);

    private static void AddIdentity(SqliteCommand command, FileIdentity identity)
    {
        command.Parameters.AddWithValue("$path", identity.Path);
        command.Parameters.AddWithValue("$size", identity.Size);
        command.Parameters.AddWithValue("$inode", identity.Inode);
        command.Parameters.AddWithValue("$mtime", identity.ModifiedNs);
        command.Parameters.AddWithValue("$ctime", identity.ChangedNs);
    }

    /// <summary>The hub already stores the content: the item is recorded as delivered, with no file taken.</summary>
    private async Task<(AdmitOutcome Outcome, Guid ItemId)> RecordDeliveredAsync(
        SqliteConnection connection, OutboxItem item, string uploadJobId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            await ExecuteAsync(connection, """
                INSERT INTO outbox_items (id, state, stored_path, sidecar_path, source_path, original_filename, content_type, entrypoint,
                    center_key, source_system, sha256, size_bytes, upload_job_id, next_attempt_at, created_at, updated_at)
                VALUES ($id, 'done', $stored, NULL, $source, $name, $type, $entry, $center, $system, $sha, $size, $job, $now, $now, $now)
                """, cancellationToken,
                ("$id", item.Id.ToString()), ("$stored", item.StoredPath), ("$source", item.SourcePath), ("$name", item.OriginalFilename),
                ("$type", item.ContentType), ("$entry", item.Entrypoint), ("$center", item.CenterKey), ("$system", item.SourceSystem),
                ("$sha", item.Sha256), ("$size", item.SizeBytes), ("$job", uploadJobId), ("$now", now.ToUnixTimeMilliseconds()));
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == 19)
        {
            // Taken concurrently by another push or the watcher: that item answers for the content.
            var winner = await FindActiveAsync(connection, item.Sha256, item.SizeBytes, item.ContentType, item.CenterKey, cancellationToken);
            return (AdmitOutcome.Duplicate, winner?.Id ?? Guid.Empty);
        }

        LogAlreadyStored(logger, item.Id, uploadJobId);
        return (AdmitOutcome.AlreadyStored, item.Id);
    }

    private AdmitOutcome Duplicate(OutboxArtifact artifact, TakeMode mode)
    {
        if (mode == TakeMode.Move)
        {
            // The bytes are already in the outbox or delivered: the second drop is removed, not sent again.
            File.Delete(artifact.SourcePath);
            if (artifact.SidecarPath is not null)
            {
                File.Delete(artifact.SidecarPath);
            }
        }

        LogDuplicate(logger, artifact.Entrypoint);
        return AdmitOutcome.Duplicate;
    }

    private static async Task BringInAsync(string source, string target, TakeMode mode, CancellationToken cancellationToken)
    {
        if (mode == TakeMode.Move)
        {
            File.Move(source, target, overwrite: false);
            return;
        }

        // Same file system: a second name for the operator's file instead of a copy (its data made durable
        // first); a file the operator later rewrites in place fails the hub's SHA-256 check and is quarantined.
        if (FileIdentity.TryHardLink(source, target))
        {
            FileIdentity.FsyncFile(target);
            return;
        }

        var temporary = target + ".copying";
        await using (var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan))
        await using (var output = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous))
        {
            await input.CopyToAsync(output, 1024 * 1024, cancellationToken);
#pragma warning disable CA1849 // fsync has no asynchronous form.
            output.Flush(flushToDisk: true);
#pragma warning restore CA1849
        }

        File.Move(temporary, target, overwrite: false);
    }

    private async Task RepairTakingAsync(SqliteConnection connection, OutboxItem item, CancellationToken cancellationToken)
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
            await BringInAsync(item.SourcePath, item.StoredPath, mode, cancellationToken);
            NativeFileSystem.FsyncDirectory(settings.OutboxDir);
            state = OutboxState.Queued;
        }
        else
        {
            state = OutboxState.Failed;
        }

        await ExecuteAsync(connection, "UPDATE outbox_items SET state = $state, last_error = $error WHERE id = $id", cancellationToken,
            ("$state", state), ("$error", state == OutboxState.Failed ? "The file vanished while it was being taken." : null), ("$id", item.Id.ToString()));
        LogRepaired(logger, item.Id, state);
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
                await using var connection = await OpenAsync(CancellationToken.None);
                await InTransactionAsync(connection, async () =>
                {
                    foreach (var update in batch)
                    {
                        await ExecuteAsync(connection, update.Sql, CancellationToken.None, update.Parameters);
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

    private static Task<OutboxItem?> FindActiveAsync(SqliteConnection connection, string sha256, long size, OutboxArtifact artifact, CancellationToken cancellationToken) =>
        FindActiveAsync(connection, sha256, size, artifact.ContentType, artifact.CenterKey, cancellationToken);

    private static async Task<OutboxItem?> FindActiveAsync(SqliteConnection connection, string sha256, long size, string contentType, string? centerKey, CancellationToken cancellationToken)
    {
        var items = await QueryAsync(connection, """
            SELECT * FROM outbox_items WHERE sha256 = $sha AND size_bytes = $size AND content_type = $type
                AND ifnull(center_key, '') = $center AND state <> 'failed' LIMIT 1
            """, [("$sha", sha256), ("$size", size), ("$type", contentType), ("$center", centerKey ?? "")], cancellationToken);
        return items.Count == 0 ? null : items[0];
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = settings.OutboxDatabase,
            Mode = SqliteOpenMode.ReadWriteCreate,
            DefaultTimeout = 30,
            Pooling = true,
        }.ToString());
        await connection.OpenAsync(cancellationToken);

        // Durable commits in WAL mode: an item recorded as taken must survive a power cut.
        await ExecuteAsync(connection, "PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000;", cancellationToken);
        return connection;
    }

    private static async Task<int> ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<IReadOnlyList<OutboxItem>> QueryAsync(SqliteConnection connection, string sql, (string Name, object? Value)[] parameters, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        var items = new List<OutboxItem>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            string? Text(string column) => reader.IsDBNull(reader.GetOrdinal(column)) ? null : reader.GetString(reader.GetOrdinal(column));
            DateTimeOffset Time(string column) => DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(reader.GetOrdinal(column)));
            items.Add(new OutboxItem
            {
                Id = Guid.Parse(Text("id")!),
                State = Text("state")!,
                StoredPath = Text("stored_path")!,
                SidecarPath = Text("sidecar_path"),
                SourcePath = Text("source_path")!,
                OriginalFilename = Text("original_filename"),
                ContentType = Text("content_type")!,
                Entrypoint = Text("entrypoint")!,
                CenterKey = Text("center_key"),
                SourceSystem = Text("source_system")!,
                Sha256 = Text("sha256")!,
                SizeBytes = reader.GetInt64(reader.GetOrdinal("size_bytes")),
                Attempts = reader.GetInt32(reader.GetOrdinal("attempts")),
                NextAttemptAt = Time("next_attempt_at"),
                LastError = Text("last_error"),
                TransferId = Text("transfer_id"),
                UploadJobId = Text("upload_job_id"),
                CreatedAt = Time("created_at"),
                UpdatedAt = Time("updated_at"),
            });
        }

        return items;
    }

    private static async Task<(string Sha256, long Size)> HashAsync(string path, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(1024 * 1024);
        try
        {
            await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
            long size = 0;
            int read;
            while ((read = await file.ReadAsync(buffer.AsMemory(0, 1024 * 1024), cancellationToken)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                size += read;
            }

            return (Convert.ToHexStringLower(hash.GetHashAndReset()), size);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Outbox took item {ItemId} from {Entrypoint} ({SizeBytes} bytes)")]
    private static partial void LogAdmitted(ILogger logger, Guid itemId, string entrypoint, long sizeBytes);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "A file dropped at {Entrypoint} has content the outbox already holds; the duplicate was removed")]
    private static partial void LogDuplicate(ILogger logger, string entrypoint);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Information, Message = "The hub already stores the content of item {ItemId} (upload job {UploadJobId}); nothing was taken")]
    private static partial void LogAlreadyStored(ILogger logger, Guid itemId, string uploadJobId);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "Repaired outbox item {ItemId} left mid-take by a crash: now {State}")]
    private static partial void LogRepaired(ILogger logger, Guid itemId, string state);
}
