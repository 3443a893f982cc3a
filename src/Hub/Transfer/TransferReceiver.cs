using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using LxAnnotate.Hub.Data;
using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Ingest;
using LxAnnotate.Hub.Storage;
using LxAnnotate.Shared.Domain;
using LxAnnotate.Shared.Envelope;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace LxAnnotate.Hub.Transfer;

/// <summary>
/// Resumable receipt of artifacts (ARCHITECTURE §6). Partial bytes are appended contiguously to
/// <c>STORAGE_DIR/incoming/&lt;transfer_id&gt;.part</c>; the offset recorded in the database is always
/// covered by fsynced bytes, so it survives a crash. A checkpoint's fsync overlaps the receipt of the
/// next bytes; its offset is recorded when it has returned. A complete, verified file goes to the ingest core.
/// </summary>
public sealed partial class TransferReceiver(
    LxaDbContext db,
    IngestService ingest,
    ContentStore store,
    TransferOptions options,
    TimeProvider time,
    ILogger<TransferReceiver> logger)
{
    /// <summary>Hints a sender may give; identity-bearing provenance is the hub's own to set.</summary>
    private static readonly HashSet<string> SenderHintKeys = new(
        ["watched_path", "sidecar_path", "original_filename", .. SidecarProvenance.Keys.Select(k => SidecarProvenance.HintPrefix + k)],
        StringComparer.Ordinal);

    public async Task<OfferOutcome> OfferAsync(TransferOffer offer, CallerIdentity caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(offer);
        ArgumentNullException.ThrowIfNull(caller);

        ValidateOffer(offer);
        var envelope = CheckEnvelope(offer, caller);
        var envelopeJson = envelope?.ToJson();
        var request = ToIngestRequest(offer, caller, transferId: null);
        var center = await ingest.ResolveCenterAsync(request, cancellationToken);
        var sha256 = offer.Sha256.ToLowerInvariant();

        var existing = await ingest.FindActiveJobAsync(center.Id, request, sha256, cancellationToken);
        if (existing is not null)
        {
            LogAlreadyStored(logger, existing.Id, center.CenterKey);
            return new OfferOutcome(existing, null, 0);
        }

        var senderKey = SenderKey(caller);
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var open = await db.Transfers.AsNoTracking().FirstOrDefaultAsync(
                t => t.State == TransferState.Open && t.CenterId == center.Id && t.SenderNodeKey == senderKey
                    && t.Sha256 == sha256 && t.SizeBytes == offer.SizeBytes,
                cancellationToken);
            if (open is not null)
            {
                // The partial bytes are resumable only for the same envelope (or none): ciphertext of another
                // envelope, or plaintext, cannot be continued, so that transfer is discarded and a new one opened.
                if (string.Equals(ReadEnvelopeJson(open.Id), envelopeJson, StringComparison.Ordinal))
                {
                    return new OfferOutcome(null, open.Id, open.ReceivedBytes);
                }

                var stale = await db.Transfers.SingleAsync(t => t.Id == open.Id, cancellationToken);
                await FailAsync(stale, PartialPath(stale.Id), "Superseded by an offer with a different envelope.");
                db.ChangeTracker.Clear();
                continue;
            }

            var now = time.GetUtcNow();
            var session = new TransferSession
            {
                Id = Guid.CreateVersion7(now),
                SenderNodeKey = senderKey,
                CenterId = center.Id,
                IngestMode = request.Boundary,
                Sha256 = sha256,
                SizeBytes = offer.SizeBytes,
                ContentType = offer.ContentType,
                OriginalFilename = offer.OriginalFilename,
                SourceSystem = offer.SourceSystem,
                IdempotencyKey = offer.IdempotencyKey,
                DeclaredCenterKey = offer.CenterKey,
                ProvenanceHintsJson = offer.ProvenanceHints is { Count: > 0 } hints ? JsonSerializer.Serialize(hints) : null,
                CreatedAt = now,
                UpdatedAt = now,
            };
            db.Transfers.Add(session);
            if (envelopeJson is not null)
            {
                // Written before the session exists, so every committed envelope transfer has its metadata.
                await WriteEnvelopeJsonAsync(session.Id, envelopeJson, cancellationToken);
            }

            try
            {
                await db.SaveChangesAsync(cancellationToken);
                db.Entry(session).State = EntityState.Detached;
                LogTransferOpened(logger, session.Id, center.CenterKey, senderKey, offer.SizeBytes);
                return new OfferOutcome(null, session.Id, 0);
            }
            catch (DbUpdateException ex) when (DbErrors.IsUniqueViolation(ex))
            {
                // A concurrent offer of the same content opened it first: resume that one.
                ContentStore.DeleteQuietly(EnvelopePath(session.Id));
                db.ChangeTracker.Clear();
            }
        }

        throw new TransferException(TransferErrorKind.Busy, "The transfer could not be opened; offer again.");
    }

    /// <summary>
    /// Offer and bytes of a small artifact in one call (at most <see cref="TransferOptions.MaxChunkBytes"/>, no
    /// envelope): no transfer is opened; the ingest core stages the bytes (hashed, encrypted when the storage
    /// class says so, fsynced), checks them against the declared SHA-256 and size, and records the job in one
    /// commit, or reuses the job that already holds the content or the idempotency key.
    /// </summary>
    public async Task<UploadOutcome> DeliverAsync(TransferOffer offer, ReadOnlyMemory<byte> content, CallerIdentity caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(offer);
        ArgumentNullException.ThrowIfNull(caller);

        ValidateDelivery(offer, content);
        var request = ToIngestRequest(offer, caller, transferId: null);
        using var stream = new ReadOnlyMemoryStream(content);
        var result = await ingest.IngestAsync(request, stream, offer.SizeBytes, cancellationToken, contentInMemory: true);
        LogDelivered(logger, result.Job.Id, result.Created, offer.SizeBytes);
        return new UploadOutcome(result.Job, result.Created);
    }

    /// <summary>
    /// Several <see cref="DeliverAsync"/> deliveries of one caller at once (a <c>DeliverMany</c> call): each is
    /// checked and refused on its own, and the accepted ones are recorded together by
    /// <see cref="IngestService.IngestManyAsync"/>, staged up to <paramref name="parallelism"/> at a time.
    /// </summary>
    /// <returns>Per delivery, in order: its outcome, or the refusal (<see cref="TransferException"/> or <see cref="IngestRejectedException"/>) <see cref="DeliverAsync"/> would have thrown.</returns>
    public async Task<IReadOnlyList<DeliveryOutcome>> DeliverManyAsync(
        IReadOnlyList<(TransferOffer Offer, ReadOnlyMemory<byte> Content)> deliveries, CallerIdentity caller, int parallelism, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deliveries);
        ArgumentNullException.ThrowIfNull(caller);

        var outcomes = new DeliveryOutcome[deliveries.Count];
        var accepted = new List<int>(deliveries.Count);
        for (var i = 0; i < deliveries.Count; i++)
        {
            try
            {
                ValidateDelivery(deliveries[i].Offer, deliveries[i].Content);
                accepted.Add(i);
            }
            catch (TransferException refused)
            {
                outcomes[i] = new DeliveryOutcome(null, refused);
            }
        }

        if (accepted.Count == 0)
        {
            return outcomes;
        }

        // Each item's size was checked against its declared size above, and that against the chunk limit.
        var items = accepted.ConvertAll(i => new IngestItem(ToIngestRequest(deliveries[i].Offer, caller, transferId: null), deliveries[i].Content));
        var results = await ingest.IngestManyAsync(items, options.MaxChunkBytes, parallelism, cancellationToken);
        for (var k = 0; k < accepted.Count; k++)
        {
            var index = accepted[k];
            if (results[k].Result is { } result)
            {
                LogDelivered(logger, result.Job.Id, result.Created, deliveries[index].Offer.SizeBytes);
                outcomes[index] = new DeliveryOutcome(new UploadOutcome(result.Job, result.Created), null);
            }
            else
            {
                outcomes[index] = new DeliveryOutcome(null, results[k].Rejection);
            }
        }

        return outcomes;
    }

    /// <summary>What <see cref="DeliverAsync"/> checks before any byte is stored.</summary>
    private void ValidateDelivery(TransferOffer offer, ReadOnlyMemory<byte> content)
    {
        ArgumentNullException.ThrowIfNull(offer);

        ValidateOffer(offer);
        if (!string.IsNullOrEmpty(offer.EnvelopeJson))
        {
            throw new TransferException(TransferErrorKind.InvalidArgument, "Deliver carries no envelope; offer an enveloped artifact with Offer and Upload.");
        }

        if (options.RequireEnvelope)
        {
            throw new TransferException(TransferErrorKind.PreconditionFailed, "envelope_required: this hub accepts only enveloped artifacts (Deliver carries none).");
        }

        if (offer.SizeBytes > options.MaxChunkBytes)
        {
            throw new TransferException(TransferErrorKind.InvalidArgument, $"Deliver takes at most {options.MaxChunkBytes} bytes; send {offer.SizeBytes} bytes with Offer and Upload.");
        }

        if (content.Length != offer.SizeBytes)
        {
            throw new TransferException(TransferErrorKind.InvalidArgument, $"The content is {content.Length} bytes; the offer declares {offer.SizeBytes}.");
        }
    }

    /// <summary>
    /// Appends <paramref name="chunks"/> at <paramref name="offset"/>; when the declared size is reached,
    /// verifies it and records the job. On any interruption the bytes received so far are made durable
    /// and their offset recorded before the exception leaves.
    /// </summary>
    /// <param name="stillAuthorized">
    /// Asked before each chunk is written; false (a revoked certificate, a deactivated node) ends the call
    /// with <see cref="TransferErrorKind.PermissionDenied"/>, keeping only the bytes already checkpointed.
    /// </param>
    public async Task<UploadOutcome> ReceiveAsync(
        Guid transferId,
        long offset,
        CallerIdentity caller,
        IAsyncEnumerable<ReadOnlyMemory<byte>> chunks,
        CancellationToken cancellationToken,
        Func<CancellationToken, Task<bool>>? stillAuthorized = null)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(chunks);

        var session = await LoadOwnedAsync(transferId, caller, cancellationToken);
        if (session.State == TransferState.Completed && session.UploadJobId is { } doneJobId)
        {
            var done = await db.UploadJobs.AsNoTracking().SingleAsync(j => j.Id == doneJobId, cancellationToken);
            return new UploadOutcome(done, Created: false);
        }

        if (session.State != TransferState.Open)
        {
            throw new TransferException(TransferErrorKind.NotOpen, $"Transfer {transferId} is {session.State.ToWire()}; offer the artifact again.");
        }

        if (offset != session.ReceivedBytes)
        {
            throw new TransferException(
                TransferErrorKind.WrongOffset,
                $"Upload must start at offset {session.ReceivedBytes}, not {offset}.",
                session.ReceivedBytes);
        }

        var path = PartialPath(transferId);
        Directory.CreateDirectory(store.IncomingDir);
        FileStream file;
        try
        {
            // FileShare.None is an exclusive lock on Linux too: a second Upload of the same transfer
            // (a sender retrying while its old stream still runs) is refused, never interleaved.
            file = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.OpenOrCreate,
                Access = FileAccess.ReadWrite,
                Share = FileShare.None,
                Options = FileOptions.Asynchronous,
                BufferSize = 0,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead,
            });
        }
        catch (IOException)
        {
            throw new TransferException(TransferErrorKind.Busy, $"Transfer {transferId} is being received by another call.");
        }

        string actualSha256;
        await using (file)
        {
            // Bytes past the durable offset were never acknowledged (a crash between write and checkpoint): drop them.
            if (file.Length != session.ReceivedBytes)
            {
                if (file.Length < session.ReceivedBytes)
                {
                    await FailAsync(session, path, "The partial file is shorter than its recorded offset.");
                    throw new TransferException(TransferErrorKind.DataLoss, "The hub lost partial bytes of this transfer; offer the artifact again.");
                }

                file.SetLength(session.ReceivedBytes);
            }

            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await RehashAsync(file, session.ReceivedBytes, hash, cancellationToken);
            file.Position = session.ReceivedBytes;

            var position = session.ReceivedBytes;
            var startedAt = position;

            // A checkpoint's fsync runs while the next bytes arrive; its offset is recorded only once that
            // fsync has returned (at the next checkpoint or at the end), never before.
            var syncing = Task.CompletedTask;
            var syncingPosition = session.ReceivedBytes;
            try
            {
                await foreach (var chunk in chunks.WithCancellation(cancellationToken))
                {
                    if (chunk.Length > options.MaxChunkBytes)
                    {
                        await SettleAsync(syncing);
                        throw new TransferException(TransferErrorKind.InvalidArgument, $"Chunk of {chunk.Length} bytes exceeds the limit of {options.MaxChunkBytes}.");
                    }

                    if (stillAuthorized is not null && !await stillAuthorized(cancellationToken))
                    {
                        await SettleAsync(syncing);
                        await CheckpointAsync(session, file, position);
                        LogCutOff(logger, transferId, position);
                        throw new TransferException(TransferErrorKind.PermissionDenied, "The sender's certificate or node is no longer authorized.");
                    }

                    if (position + chunk.Length > session.SizeBytes)
                    {
                        await SettleAsync(syncing);
                        await FailAsync(session, path, "More bytes than declared.");
                        throw new TransferException(TransferErrorKind.DataLoss, $"Received more than the declared {session.SizeBytes} bytes; the partial data was discarded.");
                    }

                    // One pass over the chunk: hashed while the write runs (the chunk stays untouched until both end).
                    var write = RandomAccess.WriteAsync(file.SafeFileHandle, chunk, position, cancellationToken);
                    hash.AppendData(chunk.Span);
                    await write;
                    position += chunk.Length;
                    if (position - syncingPosition >= options.CheckpointBytes)
                    {
                        await syncing;
                        await RecordOffsetAsync(session, syncingPosition);
                        syncingPosition = position;
                        syncing = Task.Run(() => SyncToDisk(file), CancellationToken.None);
                    }
                }

                await syncing;
            }
            catch (Exception ex) when (ex is not TransferException)
            {
                // The sender went away or the hub is stopping: keep what arrived, so it is never sent again.
                await SettleAsync(syncing);
                await CheckpointAsync(session, file, position);
                LogInterrupted(logger, transferId, position, session.SizeBytes, position - startedAt);
                throw;
            }

            LogCallReceived(logger, transferId, startedAt, position - startedAt);

            await CheckpointAsync(session, file, position);
            if (position != session.SizeBytes)
            {
                await FailAsync(session, path, $"Stream ended at {position} of {session.SizeBytes} bytes.");
                throw new TransferException(TransferErrorKind.DataLoss, $"The stream ended after {position} of the declared {session.SizeBytes} bytes; the partial data was discarded.");
            }

            actualSha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
        }

        var envelopeJson = ReadEnvelopeJson(transferId);
        IngestRequest request;
        IngestResult result;
        if (envelopeJson is null)
        {
            if (options.RequireEnvelope)
            {
                await FailAsync(session, path, "An envelope is required.");
                throw new TransferException(TransferErrorKind.PreconditionFailed, "envelope_required: this hub accepts only enveloped artifacts; offer the artifact again with an envelope.");
            }

            if (!string.Equals(actualSha256, session.Sha256, StringComparison.Ordinal))
            {
                await FailAsync(session, path, "SHA-256 mismatch.");
                throw new TransferException(TransferErrorKind.DataLoss, "The SHA-256 of the received bytes differs from the offered one; the partial data was discarded.");
            }

            request = ToIngestRequest(RestoreOffer(session), caller, transferId);
            result = await ingest.IngestStagedAsync(request, new StagedContent(path, actualSha256, session.SizeBytes), cancellationToken);
        }
        else
        {
            // The received bytes are ciphertext: decrypted and verified (tag, size, plaintext SHA-256) into a
            // staging file before anything is committed; a refusal discards both files and commits nothing.
            var envelope = MediaEnvelope.Parse(envelopeJson);
            var plainPath = Path.Combine(store.IncomingDir, $"{transferId:N}.plain");
            ContentStore.DeleteQuietly(plainPath);
            DecryptedMedia decrypted;
            try
            {
                var key = EnvelopeCrypto.UnwrapDataEncryptionKey(envelope, options.RecipientKeys);
                try
                {
                    await using var ciphertext = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
                    decrypted = await EnvelopeCrypto.DecryptToFileAsync(envelope, key, ciphertext, plainPath, cancellationToken);
                }
                finally
                {
                    CryptographicOperations.ZeroMemory(key);
                }
            }
            catch (EnvelopeException ex)
            {
                await FailAsync(session, path, $"Envelope refused: {ex.Code} in {ex.Phase}.");
                throw EnvelopeRefused(ex);
            }

            if (!string.Equals(decrypted.PlaintextSha256, session.Sha256, StringComparison.Ordinal) || decrypted.PlaintextSize != session.SizeBytes)
            {
                ContentStore.DeleteQuietly(plainPath);
                await FailAsync(session, path, "The decrypted media differs from the offer.");
                throw new TransferException(TransferErrorKind.InvalidArgument, "Envelope refused (plaintext_hash_mismatch, phase payload_verify): the decrypted media differs from the offered SHA-256 and size.");
            }

            request = ToIngestRequest(RestoreOffer(session), caller, transferId, envelope);
            try
            {
                result = await ingest.IngestStagedAsync(request, new StagedContent(plainPath, decrypted.PlaintextSha256, decrypted.PlaintextSize), cancellationToken);
            }
            finally
            {
                ContentStore.DeleteQuietly(plainPath);
            }

            ContentStore.DeleteQuietly(path);
            ContentStore.DeleteQuietly(EnvelopePath(transferId));
        }

        session.State = TransferState.Completed;
        session.UploadJobId = result.Job.Id;
        session.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(CancellationToken.None);
        LogCompleted(logger, transferId, result.Job.Id, result.Created);
        return new UploadOutcome(result.Job, result.Created);
    }

    public async Task<TransferSession> GetAsync(Guid transferId, CallerIdentity caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var session = await LoadOwnedAsync(transferId, caller, cancellationToken);
        db.Entry(session).State = EntityState.Detached;
        return session;
    }

    /// <summary>
    /// Expires open transfers untouched for <see cref="TransferOptions.ExpireAfter"/> and removes their
    /// partial files, plus staging leftovers of interrupted uploads. Returns how many transfers expired.
    /// </summary>
    public async Task<int> ExpireAbandonedAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - options.ExpireAfter;
        var abandoned = await db.Transfers.Where(t => t.State == TransferState.Open && t.UpdatedAt < cutoff).ToListAsync(cancellationToken);
        foreach (var session in abandoned)
        {
            session.State = TransferState.Expired;
            session.Error = "Expired after no progress.";
            session.UpdatedAt = time.GetUtcNow();
            ContentStore.DeleteQuietly(PartialPath(session.Id));
            ContentStore.DeleteQuietly(EnvelopePath(session.Id));
            LogExpired(logger, session.Id, session.ReceivedBytes);
        }

        await db.SaveChangesAsync(cancellationToken);

        if (Directory.Exists(store.IncomingDir))
        {
            foreach (var staged in Directory.EnumerateFiles(store.IncomingDir, "stage-*.part"))
            {
                if (File.GetLastWriteTimeUtc(staged) < cutoff.UtcDateTime)
                {
                    ContentStore.DeleteQuietly(staged);
                }
            }
        }

        return abandoned.Count;
    }

    public string PartialPath(Guid transferId) => Path.Combine(store.IncomingDir, $"{transferId:N}.part");

    /// <summary>The envelope metadata of an enveloped transfer, kept next to its partial ciphertext.</summary>
    public string EnvelopePath(Guid transferId) => Path.Combine(store.IncomingDir, $"{transferId:N}.envelope.json");

    private string? ReadEnvelopeJson(Guid transferId)
    {
        try
        {
            return File.ReadAllText(EnvelopePath(transferId));
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
    }

    private async Task WriteEnvelopeJsonAsync(Guid transferId, string json, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(store.IncomingDir);
        var target = EnvelopePath(transferId);
        var temp = target + ".tmp";
        await using (var file = new FileStream(temp, new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            Options = FileOptions.Asynchronous,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead,
        }))
        {
            await file.WriteAsync(System.Text.Encoding.UTF8.GetBytes(json), cancellationToken);
            SyncToDisk(file);
        }

        File.Move(temp, target, overwrite: true);
    }

    /// <summary>
    /// Checks an offered envelope before any byte: the hub's policy, the strict metadata, its binding to the offer
    /// and the caller, and that a recipient key opens it (the data key is unwrapped, so altered metadata fails here).
    /// </summary>
    private MediaEnvelope? CheckEnvelope(TransferOffer offer, CallerIdentity caller)
    {
        if (string.IsNullOrEmpty(offer.EnvelopeJson))
        {
            return options.RequireEnvelope
                ? throw new TransferException(TransferErrorKind.PreconditionFailed, "envelope_required: this hub accepts only enveloped artifacts (the offer carries no envelope).")
                : null;
        }

        try
        {
            var envelope = MediaEnvelope.Parse(offer.EnvelopeJson);
            var sha256 = offer.Sha256.ToLowerInvariant();
            string? problem = null;
            if (!string.Equals(envelope.PlaintextSha256, sha256, StringComparison.Ordinal) || envelope.PlaintextSize != offer.SizeBytes)
            {
                problem = "plaintext_sha256 and plaintext_size must equal the offered sha256 and size";
            }
            else if (!string.Equals(envelope.ResourceHash, sha256, StringComparison.Ordinal))
            {
                problem = "resource_hash must equal the offered sha256";
            }
            else if (caller.Kind == CallerKind.Node && !string.Equals(envelope.SourceNodeKey, caller.Subject, StringComparison.Ordinal))
            {
                problem = "source_node_key must be the sending node";
            }
            else if (!string.Equals(envelope.SourceCenterKey, string.IsNullOrEmpty(offer.CenterKey) ? GrpcEnvelopeContract.DefaultCenter : offer.CenterKey, StringComparison.Ordinal))
            {
                problem = $"source_center_key must be the offered center_key (or '{GrpcEnvelopeContract.DefaultCenter}' when none is offered)";
            }
            else if (!string.Equals(envelope.ResourceKind, GrpcEnvelopeContract.ResourceKind(offer.ContentType), StringComparison.Ordinal)
                || !string.Equals(envelope.TransferKey, GrpcEnvelopeContract.TransferKey(envelope.SourceNodeKey, envelope.ResourceKind, sha256), StringComparison.Ordinal)
                || !string.Equals(envelope.TransferMode, GrpcEnvelopeContract.TransferMode, StringComparison.Ordinal)
                || !string.Equals(envelope.MediaRole, GrpcEnvelopeContract.MediaRole, StringComparison.Ordinal)
                || !string.Equals(envelope.TargetNodeKey, GrpcEnvelopeContract.TargetNodeKey, StringComparison.Ordinal))
            {
                problem = "resource_kind, transfer_key, transfer_mode, media_role and target_node_key must follow the gRPC envelope contract";
            }

            if (problem is not null)
            {
                throw new TransferException(TransferErrorKind.InvalidArgument, $"Envelope refused (envelope_identity_mismatch, phase offer): {problem}.");
            }

            CryptographicOperations.ZeroMemory(EnvelopeCrypto.UnwrapDataEncryptionKey(envelope, options.RecipientKeys));
            return envelope;
        }
        catch (EnvelopeException ex)
        {
            throw EnvelopeRefused(ex);
        }
    }

    private static TransferException EnvelopeRefused(EnvelopeException ex) => new(
        string.Equals(ex.Code, "recipient_key_unavailable", StringComparison.Ordinal) ? TransferErrorKind.PreconditionFailed : TransferErrorKind.InvalidArgument,
        $"Envelope refused ({ex.Code}, phase {ex.Phase}): {ex.Message}");

    private async Task<TransferSession> LoadOwnedAsync(Guid transferId, CallerIdentity caller, CancellationToken cancellationToken)
    {
        var session = await db.Transfers.FirstOrDefaultAsync(t => t.Id == transferId, cancellationToken);

        // Another sender's transfer is reported exactly like a missing one: nothing leaks across senders.
        if (session is null || !string.Equals(session.SenderNodeKey, SenderKey(caller), StringComparison.Ordinal))
        {
            throw new TransferException(TransferErrorKind.NotFound, $"Transfer {transferId} not found.");
        }

        return session;
    }

    private async Task CheckpointAsync(TransferSession session, FileStream file, long position)
    {
        if (position == session.ReceivedBytes)
        {
            return;
        }

        // The offset is recorded only after the bytes under it are on disk.
        SyncToDisk(file);
        await RecordOffsetAsync(session, position);
    }

    /// <summary>Records <paramref name="position"/> as durable; the caller has fsynced the bytes under it.</summary>
    private async Task RecordOffsetAsync(TransferSession session, long position)
    {
        if (position == session.ReceivedBytes)
        {
            return;
        }

        session.ReceivedBytes = position;
        session.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(CancellationToken.None);
    }

    /// <summary>fsync: every byte written so far (the file is unbuffered, writes go straight to the handle).</summary>
    private static void SyncToDisk(FileStream file)
    {
#pragma warning disable CA1849 // fsync has no asynchronous form.
        file.Flush(flushToDisk: true);
#pragma warning restore CA1849
    }

    /// <summary>Waits for a background fsync before the file is synced, cut or closed by the caller; its error does not hide the caller's.</summary>
    private async Task SettleAsync(Task syncing)
    {
        try
        {
            await syncing;
        }
        catch (IOException ex)
        {
            LogBackgroundSyncFailed(logger, ex.Message);
        }
    }

    private async Task FailAsync(TransferSession session, string path, string error)
    {
        ContentStore.DeleteQuietly(path);
        ContentStore.DeleteQuietly(EnvelopePath(session.Id));
        session.State = TransferState.Failed;
        session.Error = error;
        session.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(CancellationToken.None);
        LogFailed(logger, session.Id, error);
    }

    private static async Task RehashAsync(FileStream file, long length, IncrementalHash hash, CancellationToken cancellationToken)
    {
        if (length == 0)
        {
            return;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(ContentStore.BufferSize);
        try
        {
            file.Position = 0;
            var remaining = length;
            while (remaining > 0)
            {
                var read = await file.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), cancellationToken);
                if (read == 0)
                {
                    throw new EndOfStreamException("The partial file ended early.");
                }

                hash.AppendData(buffer, 0, read);
                remaining -= read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void ValidateOffer(TransferOffer offer)
    {
        if (!Sha256Pattern().IsMatch(offer.Sha256 ?? ""))
        {
            throw new TransferException(TransferErrorKind.InvalidArgument, "sha256 must be 64 hexadecimal characters.");
        }

        if (offer.SizeBytes < 0)
        {
            throw new TransferException(TransferErrorKind.InvalidArgument, "size must not be negative.");
        }

        if (offer.SizeBytes > options.MaxArtifactBytes)
        {
            throw new TransferException(
                TransferErrorKind.TooLarge,
                $"size {offer.SizeBytes} exceeds the hub's limit of {options.MaxArtifactBytes} bytes.");
        }

        foreach (var key in (offer.ProvenanceHints?.Keys ?? []).Order(StringComparer.Ordinal))
        {
            if (!SenderHintKeys.Contains(key))
            {
                throw new TransferException(TransferErrorKind.InvalidArgument, $"Provenance hint '{key}' is not accepted from a sender.");
            }

            // Checked at the offer, so a bad sidecar value is refused before any byte is sent.
            if (key.StartsWith(SidecarProvenance.HintPrefix, StringComparison.Ordinal) && SidecarProvenance.Problem(key, offer.ProvenanceHints![key]) is { } problem)
            {
                throw new TransferException(TransferErrorKind.InvalidArgument, problem);
            }
        }
    }

    private static IngestRequest ToIngestRequest(TransferOffer offer, CallerIdentity caller, Guid? transferId, MediaEnvelope? envelope = null)
    {
        var hints = new Dictionary<string, string>(offer.ProvenanceHints ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        if (transferId is { } id)
        {
            hints["transfer_id"] = id.ToString();
        }

        if (envelope is not null)
        {
            hints["transfer_key"] = envelope.TransferKey;
            hints["envelope_fingerprint_sha256"] = envelope.FingerprintSha256();
        }

        var local = caller.Kind == CallerKind.LocalWatcher;
        return new IngestRequest
        {
            Boundary = local ? IngestMode.Watcher : IngestMode.Transfer,
            Entrypoint = local ? "watcher.local_socket" : "transfer.grpc",
            Caller = caller,
            DeclaredCenterKey = offer.CenterKey,
            SourceSystem = offer.SourceSystem,
            IdempotencyKey = string.IsNullOrEmpty(offer.IdempotencyKey) ? null : offer.IdempotencyKey,
            ContentType = offer.ContentType,
            OriginalFilename = string.IsNullOrEmpty(offer.OriginalFilename) ? null : offer.OriginalFilename,
            ProvenanceHints = hints,
            ExpectedSha256 = offer.Sha256.ToLowerInvariant(),
            ExpectedSizeBytes = offer.SizeBytes,
        };
    }

    private static TransferOffer RestoreOffer(TransferSession session) => new()
    {
        Sha256 = session.Sha256,
        SizeBytes = session.SizeBytes,
        ContentType = session.ContentType,
        OriginalFilename = session.OriginalFilename,
        CenterKey = session.DeclaredCenterKey,
        SourceSystem = session.SourceSystem,
        IdempotencyKey = session.IdempotencyKey,
        ProvenanceHints = session.ProvenanceHintsJson is null
            ? null
            : JsonSerializer.Deserialize<Dictionary<string, string>>(session.ProvenanceHintsJson),
    };

    private static string? SenderKey(CallerIdentity caller) => caller.Kind == CallerKind.Node ? caller.Subject : null;


    [GeneratedRegex("^[0-9a-fA-F]{64}$")]
    private static partial Regex Sha256Pattern();

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Offer of already stored content: job {JobId} in center {CenterKey}")]
    private static partial void LogAlreadyStored(ILogger logger, Guid jobId, string centerKey);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Transfer {TransferId} opened for center {CenterKey} by {Sender}, {SizeBytes} bytes")]
    private static partial void LogTransferOpened(ILogger logger, Guid transferId, string centerKey, string? sender, long sizeBytes);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "Transfer {TransferId} interrupted at {Offset} of {SizeBytes} bytes ({ReceivedBytes} received in this call); offset recorded")]
    private static partial void LogInterrupted(ILogger logger, Guid transferId, long offset, long sizeBytes, long receivedBytes);

    [LoggerMessage(EventId = 3009, Level = LogLevel.Warning, Message = "Transfer {TransferId} cut off at {Offset} bytes: the sender is no longer authorized")]
    private static partial void LogCutOff(ILogger logger, Guid transferId, long offset);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Information, Message = "Transfer {TransferId} call from offset {StartOffset} received {ReceivedBytes} bytes")]
    private static partial void LogCallReceived(ILogger logger, Guid transferId, long startOffset, long receivedBytes);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Information, Message = "Transfer {TransferId} completed as job {JobId} (created: {Created})")]
    private static partial void LogCompleted(ILogger logger, Guid transferId, Guid jobId, bool created);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Information, Message = "Delivered in one call as job {JobId} (created: {Created}), {SizeBytes} bytes")]
    private static partial void LogDelivered(ILogger logger, Guid jobId, bool created, long sizeBytes);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Warning, Message = "Transfer {TransferId} failed: {Error}; partial data discarded")]
    private static partial void LogFailed(ILogger logger, Guid transferId, string error);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Warning, Message = "A checkpoint fsync failed: {Error}; the offset stays at the previous checkpoint")]
    private static partial void LogBackgroundSyncFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Information, Message = "Transfer {TransferId} expired at {Offset} bytes; partial data removed")]
    private static partial void LogExpired(ILogger logger, Guid transferId, long offset);
}
