using System.Text.Json;
using LxAnnotate.Hub.Data;
using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Ingest;
using LxAnnotate.Hub.Transfer.Offers;
using LxAnnotate.Hub.Transfer.PartialFiles;
using LxAnnotate.Shared.Domain;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.Hub.Transfer.Sessions;

/// <summary>
/// The transfer sessions in the database (ARCHITECTURE §6): an offer opens one or resumes the open one; its
/// durable offset is recorded only when the bytes under it are fsynced, so it survives a crash; it ends
/// completed (with its job) or failed (its partial data discarded).
/// </summary>
internal sealed partial class TransferSessions(
    LxaDbContext db,
    IngestService ingest,
    PartialFileStore partials,
    TransferOptions options,
    TimeProvider time,
    ILogger<TransferSessions> logger)
{
    public async Task<OfferOutcome> OfferAsync(TransferOffer offer, CallerIdentity caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(offer);
        ArgumentNullException.ThrowIfNull(caller);

        OfferRules.Validate(offer, options);
        var envelopeJson = OfferedEnvelopeCheck.Check(offer, caller, options)?.ToJson();
        var request = TransferIngestRequests.For(offer, caller, transferId: null);
        var center = await ingest.ResolveCenterAsync(request, cancellationToken);
        if (OfferRules.HashesLater(offer))
        {
            return await OfferHashLaterAsync(offer, request, center, cancellationToken);
        }

        var sha256 = offer.Sha256.ToLowerInvariant();
        var existing = await ingest.FindActiveJobAsync(center.Id, request, sha256, cancellationToken);
        if (existing is not null)
        {
            LogAlreadyStored(logger, existing.Id, center.CenterKey);
            return new OfferOutcome(existing, null, 0);
        }

        var senderKey = TransferIngestRequests.SenderKey(caller);
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
                if (string.Equals(partials.ReadEnvelopeJson(open.Id), envelopeJson, StringComparison.Ordinal))
                {
                    return new OfferOutcome(null, open.Id, open.ReceivedBytes);
                }

                var stale = await db.Transfers.SingleAsync(t => t.Id == open.Id, cancellationToken);
                await FailAsync(stale, "Superseded by an offer with a different envelope.");
                db.ChangeTracker.Clear();
                continue;
            }

            // The same artifact offered before without its hash (same key and size): its bytes are resumed, and the
            // hash now declared is the one they are verified against.
            if (envelopeJson is null && await AdoptHashLaterAsync(center.Id, senderKey, offer, sha256, cancellationToken) is { } adopted)
            {
                return new OfferOutcome(null, adopted.Id, adopted.ReceivedBytes);
            }

            var session = NewSession(offer, request.Boundary, center.Id, senderKey, sha256);
            if (await TryOpenAsync(session, envelopeJson, center.CenterKey, cancellationToken))
            {
                return new OfferOutcome(null, session.Id, 0);
            }
        }

        throw new TransferException(TransferErrorKind.Busy, "The transfer could not be opened; offer again.");
    }

    /// <summary>
    /// An offer without SHA-256 (its hash comes in the Upload trailer): a transfer is opened (or this sender's open one
    /// for the same key and size resumed) only when nothing stored could be the same content, so dedup before any
    /// byte is sent still holds: content of this size and type in the center, or a job holding the key, needs the hash.
    /// </summary>
    private async Task<OfferOutcome> OfferHashLaterAsync(TransferOffer offer, IngestRequest request, Center center, CancellationToken cancellationToken)
    {
        var reason = await ingest.FindActiveJobAsync(center.Id, request, sha256: null, cancellationToken) is not null
            ? "a job of this center holds the idempotency key"
            : await ingest.HoldsContentOfSizeAsync(center.Id, offer.ContentType, offer.SizeBytes, cancellationToken)
                ? "this center stores content of the same size and type"
                : null;
        if (reason is not null)
        {
            LogHashRequired(logger, center.CenterKey, offer.SizeBytes, reason);
            return OfferOutcome.NeedsHash(reason);
        }

        var senderKey = TransferIngestRequests.SenderKey(request.Caller);
        var open = await FindHashLaterAsync(center.Id, senderKey, offer, cancellationToken);
        if (open is not null)
        {
            return new OfferOutcome(null, open.Id, open.ReceivedBytes);
        }

        var session = NewSession(offer, request.Boundary, center.Id, senderKey, sha256: null);
        if (!await TryOpenAsync(session, envelopeJson: null, center.CenterKey, cancellationToken))
        {
            throw new TransferException(TransferErrorKind.Busy, "The transfer could not be opened; offer again.");
        }

        return new OfferOutcome(null, session.Id, 0);
    }

    private Task<TransferSession?> FindHashLaterAsync(long centerId, string? senderKey, TransferOffer offer, CancellationToken cancellationToken) =>
        db.Transfers.FirstOrDefaultAsync(
            t => t.State == TransferState.Open && t.CenterId == centerId && t.SenderNodeKey == senderKey
                && t.Sha256 == null && t.IdempotencyKey == offer.IdempotencyKey && t.SizeBytes == offer.SizeBytes,
            cancellationToken);

    /// <summary>This sender's open transfer of the same key and size offered without a hash, now holding <paramref name="sha256"/>; null when there is none.</summary>
    private async Task<TransferSession?> AdoptHashLaterAsync(long centerId, string? senderKey, TransferOffer offer, string sha256, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(offer.IdempotencyKey))
        {
            return null;
        }

        var open = await FindHashLaterAsync(centerId, senderKey, offer, cancellationToken);
        if (open is null)
        {
            return null;
        }

        open.Sha256 = sha256;
        open.UpdatedAt = time.GetUtcNow();
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            db.Entry(open).State = EntityState.Detached;
            return open;
        }
        catch (DbUpdateException ex) when (DbErrors.IsUniqueViolation(ex))
        {
            // A transfer of this content opened meanwhile: the caller finds that one on its next round.
            db.ChangeTracker.Clear();
            return null;
        }
    }

    /// <summary>The caller's own transfer; another sender's is reported exactly like a missing one, so nothing leaks across senders.</summary>
    public async Task<TransferSession> FindOwnedAsync(Guid transferId, CallerIdentity caller, CancellationToken cancellationToken)
    {
        var session = await db.Transfers.FirstOrDefaultAsync(t => t.Id == transferId, cancellationToken);
        if (session is null || !string.Equals(session.SenderNodeKey, TransferIngestRequests.SenderKey(caller), StringComparison.Ordinal))
        {
            throw new TransferException(TransferErrorKind.NotFound, $"Transfer {transferId} not found.");
        }

        return session;
    }

    /// <summary>The session as committed now: another replica's stream may have moved it since it was read.</summary>
    public Task ReloadAsync(TransferSession session, CancellationToken cancellationToken) => db.Entry(session).ReloadAsync(cancellationToken);

    public async Task<TransferSession> GetAsync(Guid transferId, CallerIdentity caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var session = await FindOwnedAsync(transferId, caller, cancellationToken);
        db.Entry(session).State = EntityState.Detached;
        return session;
    }

    /// <summary>The outcome of a transfer completed earlier: its job, not created by this call.</summary>
    public async Task<UploadOutcome> CompletedOutcomeAsync(Guid uploadJobId, CancellationToken cancellationToken)
    {
        var done = await db.UploadJobs.AsNoTracking().SingleAsync(j => j.Id == uploadJobId, cancellationToken);
        return new UploadOutcome(done, Created: false);
    }

    /// <summary>Records <paramref name="position"/> as durable; the caller has fsynced the bytes under it.</summary>
    public async Task RecordOffsetAsync(TransferSession session, long position)
    {
        if (position == session.ReceivedBytes)
        {
            return;
        }

        session.ReceivedBytes = position;
        session.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(CancellationToken.None);
    }

    /// <summary>Ends a transfer that cannot be resumed; its partial data is discarded.</summary>
    public async Task FailAsync(TransferSession session, string error)
    {
        partials.Discard(session.Id);
        session.State = TransferState.Failed;
        session.Error = error;
        session.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(CancellationToken.None);
        LogFailed(logger, session.Id, error);
    }

    public async Task<UploadOutcome> CompleteAsync(TransferSession session, IngestResult result)
    {
        session.State = TransferState.Completed;
        session.UploadJobId = result.Job.Id;

        // A transfer offered without SHA-256 records the one its bytes were verified against.
        session.Sha256 ??= result.Job.ContentHash;
        session.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(CancellationToken.None);
        LogCompleted(logger, session.Id, result.Job.Id, result.Created);
        return new UploadOutcome(result.Job, result.Created);
    }

    private TransferSession NewSession(TransferOffer offer, IngestMode boundary, long centerId, string? senderKey, string? sha256)
    {
        var now = time.GetUtcNow();
        return new TransferSession
        {
            Id = Guid.CreateVersion7(now),
            SenderNodeKey = senderKey,
            CenterId = centerId,
            IngestMode = boundary,
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
    }

    /// <summary>Commits a new session; false when a concurrent offer of the same content opened one first (resume that one).</summary>
    private async Task<bool> TryOpenAsync(TransferSession session, string? envelopeJson, string centerKey, CancellationToken cancellationToken)
    {
        db.Transfers.Add(session);
        if (envelopeJson is not null)
        {
            // Written before the session exists, so every committed envelope transfer has its metadata.
            await partials.WriteEnvelopeJsonAsync(session.Id, envelopeJson, cancellationToken);
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
            db.Entry(session).State = EntityState.Detached;
            if (session.Sha256 is null)
            {
                LogTransferOpenedHashLater(logger, session.Id, centerKey, session.SenderNodeKey ?? "the local watcher", session.SizeBytes);
            }
            else
            {
                LogTransferOpened(logger, session.Id, centerKey, session.SenderNodeKey ?? "the local watcher", session.SizeBytes);
            }

            return true;
        }
        catch (DbUpdateException ex) when (DbErrors.IsUniqueViolation(ex))
        {
            Storage.ContentStore.DeleteQuietly(partials.EnvelopePath(session.Id));
            db.ChangeTracker.Clear();
            return false;
        }
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Offer of already stored content: job {JobId} in center {CenterKey}")]
    private static partial void LogAlreadyStored(ILogger logger, Guid jobId, string centerKey);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Transfer {TransferId} opened for center {CenterKey} by {Sender}, {SizeBytes} bytes")]
    private static partial void LogTransferOpened(ILogger logger, Guid transferId, string centerKey, string sender, long sizeBytes);

    [LoggerMessage(EventId = 3017, Level = LogLevel.Information, Message = "Transfer {TransferId} opened for center {CenterKey} by {Sender}, {SizeBytes} bytes, its SHA-256 to follow in the Upload trailer")]
    private static partial void LogTransferOpenedHashLater(ILogger logger, Guid transferId, string centerKey, string sender, long sizeBytes);

    [LoggerMessage(EventId = 3018, Level = LogLevel.Information, Message = "Offer without SHA-256 for center {CenterKey}, {SizeBytes} bytes: hash required ({Reason})")]
    private static partial void LogHashRequired(ILogger logger, string centerKey, long sizeBytes, string reason);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Information, Message = "Transfer {TransferId} completed as job {JobId} (created: {Created})")]
    private static partial void LogCompleted(ILogger logger, Guid transferId, Guid jobId, bool created);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Warning, Message = "Transfer {TransferId} failed: {Error}; partial data discarded")]
    private static partial void LogFailed(ILogger logger, Guid transferId, string error);
}
