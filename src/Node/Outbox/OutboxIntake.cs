using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using LxAnnotate.Node.Files;
using LxAnnotate.Node.Hosting;
using LxAnnotate.Shared.Storage;
using Microsoft.Data.Sqlite;

namespace LxAnnotate.Node.Outbox;

/// <summary>
/// Takes files into the outbox. Taking a file is: record it (<c>taking</c>), bring it in (renamed from a drop
/// folder; linked or copied for push) and fsync, mark it <c>queued</c>; a crash between the steps is
/// repaired at start (<see cref="TakingRepair"/>), so a file is never lost or doubled. Content the outbox
/// already holds for the same center is a duplicate and is not taken again.
/// </summary>
internal sealed partial class OutboxIntake(
    OutboxDatabase database, OutboxStore store, HashCache hashes, NodeSettings settings, TimeProvider time, ILogger<OutboxIntake> logger) : IOutbox
{
    public async Task<AdmitOutcome> AdmitAsync(OutboxArtifact artifact, CancellationToken cancellationToken) =>
        (await AdmitAsync(artifact, TakeMode.Move, cancellationToken)).Outcome;

    /// <summary>Takes the artifact; returns the outcome and the id of the item that holds its content.</summary>
    public async Task<(AdmitOutcome Outcome, Guid ItemId)> AdmitAsync(OutboxArtifact artifact, TakeMode mode, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(artifact);

        // A file left where it is (push) may be pushed again unchanged: its hash is cached by its identity.
        var (sha256, size) = mode == TakeMode.Copy
            ? await hashes.HashCachedAsync(artifact.SourcePath, cancellationToken)
            : await HashCache.HashAsync(artifact.SourcePath, cancellationToken);
        if (artifact.ExpectedSha256 is { } expected && !string.Equals(expected, sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArtifactRefusedException("file_sha256 in the sidecar does not match the file.");
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        if (await FindActiveAsync(connection, artifact, sha256, size, cancellationToken) is { } existing)
        {
            return (Duplicate(artifact, mode), existing.Id);
        }

        var now = time.GetUtcNow();
        var item = NewItem(artifact, Guid.CreateVersion7(now), sha256, size);
        try
        {
            await OutboxRows.InsertAsync(connection, item, now.ToUnixTimeMilliseconds(), orIgnore: false, cancellationToken);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == 19)
        {
            // The same content was taken concurrently (e.g. by a push while the watcher saw the drop).
            var winner = await FindActiveAsync(connection, artifact, sha256, size, cancellationToken);
            return (Duplicate(artifact, mode), winner?.Id ?? Guid.Empty);
        }

        await BringInAsync(artifact, item, mode, cancellationToken);
        NativeFileSystem.FsyncDirectory(settings.OutboxDir);
        if (mode == TakeMode.Move)
        {
            NativeFileSystem.FsyncDirectory(Path.GetDirectoryName(artifact.SourcePath)!);
        }

        await MarkQueuedAsync(connection, [item.Id], cancellationToken);
        LogAdmitted(logger, item.Id, artifact.Entrypoint, size);
        store.Wake();
        return (AdmitOutcome.Admitted, item.Id);
    }

    /// <summary>
    /// First half of taking many files for <c>push</c> (left in place): hashes them (cache first, up to
    /// <paramref name="parallelism"/> at once, bounded by the cores) and finds the content the outbox already
    /// holds. Nothing is recorded yet; <see cref="TakeCopiesAsync"/> takes the rest.
    /// </summary>
    /// <param name="sendAhead">
    /// Optional: given an item not yet hashed (empty SHA-256) whose file is larger than its <see cref="SendAhead.OverBytes"/>
    /// and has no cached hash, it may send the file to the hub at once and return the SHA-256 computed while sending
    /// (the file is then hashed by that read alone), or null to have it hashed here.
    /// </param>
    public async Task<CopyBatch> PrepareCopiesAsync(
        IReadOnlyList<OutboxArtifact> artifacts, int parallelism, CancellationToken cancellationToken, SendAhead? sendAhead = null)
    {
        ArgumentNullException.ThrowIfNull(artifacts);
        var count = artifacts.Count;
        var results = new (AdmitOutcome Outcome, Guid ItemId)[count];
        var items = new OutboxItem?[count];
        var now = time.GetUtcNow();
        if (count == 0)
        {
            return new CopyBatch(artifacts, items, results, now);
        }

        // The ids are given before hashing, so a file sent ahead goes under the id its item keeps.
        var ids = artifacts.Select(_ => Guid.CreateVersion7(now)).ToArray();
        var hashed = new (string Sha256, long Size, FileIdentity? ToCache)[count];
        await Parallel.ForEachAsync(Enumerable.Range(0, count),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Math.Min(parallelism, Environment.ProcessorCount)), CancellationToken = cancellationToken },
            async (i, token) => hashed[i] = await HashOrSendAheadAsync(artifacts[i], ids, i, sendAhead, token));

        await using var connection = await database.OpenAsync(cancellationToken);
        await HashCache.StoreAsync(connection, [.. hashed.Where(h => h.ToCache is not null).Select(h => (h.ToCache!, h.Sha256))], cancellationToken);
        for (var i = 0; i < count; i++)
        {
            var artifact = artifacts[i];
            var (sha256, size, _) = hashed[i];
            if (artifact.ExpectedSha256 is { } expected && !string.Equals(expected, sha256, StringComparison.OrdinalIgnoreCase))
            {
                throw new ArtifactRefusedException($"{artifact.SourcePath}: file_sha256 in the sidecar does not match the file.");
            }

            if (await FindActiveAsync(connection, artifact, sha256, size, cancellationToken) is { } existing)
            {
                results[i] = (Duplicate(artifact, TakeMode.Copy), existing.Id);
                continue;
            }

            items[i] = NewItem(artifact, ids[i], sha256, size);
        }

        return new CopyBatch(artifacts, items, results, now);
    }

    /// <summary>
    /// The file's cached hash, else the one <paramref name="sendAhead"/> computed sending it, else a fresh one. A file
    /// offered to be sent ahead gets its item id from its identity (<see cref="SendAheadIdAsync"/>), written to
    /// <paramref name="ids"/>[<paramref name="index"/>]; a file too small to be sent ahead is hashed as without it.
    /// </summary>
    private async Task<(string Sha256, long Size, FileIdentity? ToCache)> HashOrSendAheadAsync(
        OutboxArtifact artifact, Guid[] ids, int index, SendAhead? sendAhead, CancellationToken cancellationToken)
    {
        if (sendAhead is null || artifact.ExpectedSha256 is not null)
        {
            return await hashes.LookUpOrHashAsync(artifact.SourcePath, cancellationToken);
        }

        return await hashes.LookUpOrHashAsync(artifact.SourcePath, cancellationToken, hashOtherwise: async (identity, token) =>
        {
            if (identity.Size <= sendAhead.OverBytes)
            {
                return null;
            }

            // The same file named twice in one push gets its identity's id once.
            var id = await SendAheadIdAsync(identity, ids[index], token);
            lock (ids)
            {
                if (!ids.Contains(id))
                {
                    ids[index] = id;
                }
            }

            return await sendAhead.SendAsync(NewItem(artifact, ids[index], sha256: "", identity.Size), token);
        });
    }

    /// <summary>
    /// Second half of taking many files for <c>push</c>, with a few durable writes for the whole list instead of
    /// several per file: all rows are recorded as <c>taking</c> (or <c>done</c> when the hub already stores the
    /// content) in one transaction, the files are linked in and fsynced, the outbox folder fsynced once, and all
    /// rows marked <c>queued</c> in one transaction. The crash repair of <c>taking</c> rows is the same as for one file.
    /// </summary>
    public async Task<IReadOnlyList<(AdmitOutcome Outcome, Guid ItemId)>> TakeCopiesAsync(CopyBatch batch, int parallelism, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Artifacts.Count == 0)
        {
            return batch.Results;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        var toTake = await RecordCopiesAsync(connection, batch, cancellationToken);
        await Parallel.ForEachAsync(toTake,
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism), CancellationToken = cancellationToken },
            async (i, token) => await BringInAsync(batch.Artifacts[i], batch.Items[i]!, TakeMode.Copy, token));
        if (toTake.Count > 0)
        {
            NativeFileSystem.FsyncDirectory(settings.OutboxDir);
        }

        await MarkQueuedAsync(connection, [.. toTake.Select(i => batch.Items[i]!.Id)], cancellationToken);
        foreach (var i in toTake)
        {
            LogAdmitted(logger, batch.Items[i]!.Id, batch.Artifacts[i].Entrypoint, batch.Items[i]!.SizeBytes);
            batch.Results[i] = (AdmitOutcome.Admitted, batch.Items[i]!.Id);
        }

        store.Wake();
        return batch.Results;
    }

    /// <summary>One transaction records every row: taking (to be linked in) or done (the hub already stores it); returns what to take.</summary>
    private async Task<List<int>> RecordCopiesAsync(SqliteConnection connection, CopyBatch batch, CancellationToken cancellationToken)
    {
        var toTake = new List<int>();
        var stamp = batch.PreparedAt.ToUnixTimeMilliseconds();
        await OutboxDatabase.InTransactionAsync(connection, async () =>
        {
            for (var i = 0; i < batch.Items.Length; i++)
            {
                if (batch.Items[i] is not { } item)
                {
                    continue;
                }

                var job = batch.StoredJobs[i];
                var row = job is null ? item : item with { State = OutboxState.Done, SidecarPath = null, SidecarHints = null, UploadJobId = job };
                if (!await OutboxRows.InsertAsync(connection, row, stamp, orIgnore: true, cancellationToken))
                {
                    // The same content earlier in this list, or taken concurrently by the watcher: that item answers for it.
                    var winner = await FindActiveAsync(connection, batch.Artifacts[i], item.Sha256, item.SizeBytes, cancellationToken);
                    batch.Results[i] = (Duplicate(batch.Artifacts[i], TakeMode.Copy), winner?.Id ?? Guid.Empty);
                }
                else if (job is not null)
                {
                    if (batch.SentNow[i])
                    {
                        LogSentBeforeTaking(logger, item.Id, job);
                    }
                    else
                    {
                        LogAlreadyStored(logger, item.Id, job);
                    }

                    batch.Results[i] = (AdmitOutcome.AlreadyStored, item.Id);
                }
                else
                {
                    toTake.Add(i);
                }
            }
        }, cancellationToken);
        return toTake;
    }

    /// <summary>
    /// The id of an item sent ahead: derived from the file's identity, so a push stopped while sending it and started
    /// again offers under the same idempotency key and the hub resumes its transfer; <paramref name="fallback"/> when
    /// the outbox already holds an item of that id.
    /// </summary>
    private async Task<Guid> SendAheadIdAsync(FileIdentity identity, Guid fallback, CancellationToken cancellationToken)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(
            string.Create(CultureInfo.InvariantCulture, $"{identity.Path}\0{identity.Size}\0{identity.Inode}\0{identity.ModifiedNs}\0{identity.ChangedNs}")));
        digest[6] = (byte)((digest[6] & 0x0F) | 0x80); // RFC 9562 version 8 (custom)
        digest[8] = (byte)((digest[8] & 0x3F) | 0x80); // RFC 9562 variant
        var id = new Guid(digest.AsSpan(0, 16), bigEndian: true);
        return await store.GetAsync(id, cancellationToken) is null ? id : fallback;
    }

    /// <summary>A new item for the artifact, still <c>taking</c>; its files get names in the outbox folder from its id.</summary>
    private OutboxItem NewItem(OutboxArtifact artifact, Guid id, string sha256, long size) => new()
    {
        Id = id,
        State = OutboxState.Taking,
        StoredPath = Path.Combine(settings.OutboxDir, id.ToString("N") + Path.GetExtension(artifact.SourcePath).ToLowerInvariant()),
        SidecarPath = artifact.SidecarPath is null ? null : Path.Combine(settings.OutboxDir, id.ToString("N") + ".sidecar.json"),
        SidecarHints = artifact.SidecarPath is null ? null : artifact.SidecarHints,
        SourcePath = artifact.SourcePath,
        OriginalFilename = Path.GetFileName(artifact.SourcePath),
        ContentType = artifact.ContentType,
        Entrypoint = artifact.Entrypoint,
        CenterKey = artifact.CenterKey,
        SourceSystem = artifact.SourceSystem,
        Sha256 = sha256,
        SizeBytes = size,
    };

    private static async Task BringInAsync(OutboxArtifact artifact, OutboxItem item, TakeMode mode, CancellationToken cancellationToken)
    {
        await FileTaking.BringInAsync(artifact.SourcePath, item.StoredPath, mode, cancellationToken);
        if (artifact.SidecarPath is { } sidecar)
        {
            await FileTaking.BringInAsync(sidecar, item.SidecarPath!, mode, cancellationToken);
        }
    }

    private async Task MarkQueuedAsync(SqliteConnection connection, IReadOnlyList<Guid> ids, CancellationToken cancellationToken) =>
        await OutboxDatabase.InTransactionAsync(connection, async () =>
        {
            var updated = time.GetUtcNow().ToUnixTimeMilliseconds();
            foreach (var id in ids)
            {
                await OutboxDatabase.ExecuteAsync(connection, "UPDATE outbox_items SET state = 'queued', updated_at = $now WHERE id = $id", cancellationToken,
                    ("$id", id.ToString()), ("$now", updated));
            }
        }, cancellationToken);

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

    private static Task<OutboxItem?> FindActiveAsync(SqliteConnection connection, OutboxArtifact artifact, string sha256, long size, CancellationToken cancellationToken) =>
        OutboxRows.FindActiveAsync(connection, sha256, size, artifact.ContentType, artifact.CenterKey, cancellationToken);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Outbox took item {ItemId} from {Entrypoint} ({SizeBytes} bytes)")]
    private static partial void LogAdmitted(ILogger logger, Guid itemId, string entrypoint, long sizeBytes);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "A file dropped at {Entrypoint} has content the outbox already holds; the duplicate was removed")]
    private static partial void LogDuplicate(ILogger logger, string entrypoint);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Information, Message = "The hub already stores the content of item {ItemId} (upload job {UploadJobId}); nothing was taken")]
    private static partial void LogAlreadyStored(ILogger logger, Guid itemId, string uploadJobId);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Information, Message = "Item {ItemId} was sent to the hub while it was hashed (upload job {UploadJobId}); the hub stores it, so nothing was taken")]
    private static partial void LogSentBeforeTaking(ILogger logger, Guid itemId, string uploadJobId);
}
