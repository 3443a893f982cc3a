using LxAnnotate.Hub.Authentication;
using LxAnnotate.Hub.Data;
using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Ingest;
using LxAnnotate.Hub.Storage;
using LxAnnotate.Hub.Storage.Encryption;
using LxAnnotate.Hub.Upload;
using LxAnnotate.Shared.Envelope;

namespace LxAnnotate.Hub.PythonEraTransfers;

/// <summary>
/// One media request for a transfer job of the calling node: checked against the job, staged under the job's
/// claim, handed to the ingest core, and the job marked <c>applied</c>. A refusal leaves its reason on the job;
/// the claim and the staging file never outlive the request.
/// </summary>
internal sealed class HubTransferMediaAttachment(
    LxaDbContext db, IngestService ingest, ContentStore store, EncryptedArtifactStore encryptedStore, HubTransferOptions settings, TimeProvider time, ILogger logger)
{
    public async Task<IResult> AttachAsync(HubTransferJob job, HubTransferCaller caller, HttpRequest request, long bodyLimit, CancellationToken cancellationToken)
    {
        string? staging = null;
        var claimed = false;
        try
        {
            CheckReceivable(job, request, bodyLimit);
            await using var upload = await HubTransferMediaUpload.OpenAsync(request, cancellationToken);
            var envelope = HubTransferMediaVerifier.Verify(upload.EnvelopeJson, job, settings);
            if (job.TransferStatus == HubTransferStatus.Applied)
            {
                return await HubTransferMediaReplay.ReplayAsync(db, job, envelope, upload.File, settings, logger, time, cancellationToken);
            }

            claimed = await HubTransferJobUpdates.ClaimAsync(db, job.Id, time, cancellationToken);
            if (!claimed)
            {
                throw new HubTransferRefusal(StatusCodes.Status409Conflict, "Transfer media attachment is already in progress.", "media_upload_in_progress", "media_receive");
            }

            Directory.CreateDirectory(store.IncomingDir);
            staging = Path.Combine(store.IncomingDir, $"hub-transfer-{Guid.NewGuid():N}.part");
            var applied = await ApplyAsync(job, caller, upload.File, envelope, staging, cancellationToken);

            // Applying the job gave up the claim.
            claimed = false;
            return applied;
        }
        catch (HubTransferRefusal refusal)
        {
            if (claimed)
            {
                await HubTransferJobUpdates.MarkAsync(db, job.Id, null, refusal.Message, time);
            }

            var current = await HubTransferJobUpdates.ReloadAsync(db, job.Id);
            return HubTransferApi.Refuse(logger, current, refusal);
        }
        finally
        {
            if (claimed)
            {
                await HubTransferJobUpdates.ReleaseAsync(db, job.Id);
            }

            if (staging is not null)
            {
                ContentStore.DeleteQuietly(staging);
            }
        }
    }

    private void CheckReceivable(HubTransferJob job, HttpRequest request, long bodyLimit)
    {
        if (request.ContentLength > bodyLimit)
        {
            throw HubTransferRefusals.MediaTooLarge(settings.MaxUploadBytes);
        }

        if (job.TransferStatus == HubTransferStatus.Inconsistent)
        {
            throw new HubTransferRefusal(StatusCodes.Status409Conflict, "The transfer is inconsistent: different media was sent after it was applied.", "transfer_inconsistent", "media_replay");
        }
    }

    private async Task<IResult> ApplyAsync(HubTransferJob job, HubTransferCaller caller, Stream body, MediaEnvelope? envelope, string staging, CancellationToken cancellationToken)
    {
        var (staged, receivedSha, contentType) = await HubTransferMediaStaging.StageAsync(body, envelope, job, staging, settings, encryptedStore.KeyRingFor, cancellationToken);
        var fingerprint = envelope?.FingerprintSha256();
        var result = await IngestAsync(job, caller, staged, contentType, fingerprint, cancellationToken);
        var applied = await HubTransferJobUpdates.ApplyAsync(db, job.Id, result.Job.Id, envelope, fingerprint, receivedSha, time, cancellationToken);
        HubTransferLog.Applied(logger, job.TransferKey, result.Job.Id, job.PayloadSchemaVersion, staged.SizeBytes);
        return TypedResults.Json(HubTransferStatusBody.For(applied));
    }

    private async Task<IngestResult> IngestAsync(
        HubTransferJob job, HubTransferCaller caller, StagedContent staged, string contentType, string? fingerprint, CancellationToken cancellationToken)
    {
        try
        {
            return await ingest.IngestStagedAsync(Request(job, caller, contentType, staged, fingerprint), staged, cancellationToken);
        }
        catch (IngestRejectedException ex)
        {
            await HubTransferJobUpdates.MarkAsync(db, job.Id, HubTransferStatus.Failed, ex.Message, time);
            var code = ex.Reason == IngestRejectionReason.IdempotencyConflict ? "idempotency_conflict" : "ingest_rejected";
            throw new HubTransferRefusal(UploadApi.StatusFor(ex.Reason), ex.Message, code, "ingest_commit");
        }
    }

    private static IngestRequest Request(HubTransferJob job, HubTransferCaller caller, string contentType, StagedContent staged, string? fingerprint)
    {
        var hints = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["transfer_id"] = job.Id.ToString(),
            ["transfer_key"] = job.TransferKey,
        };
        if (fingerprint is not null)
        {
            hints["envelope_fingerprint_sha256"] = fingerprint;
        }

        return new IngestRequest
        {
            Boundary = IngestMode.Transfer,
            Entrypoint = HubTransferMedia.Entrypoint,
            Caller = CallerIdentity.ForNode(caller.NodeKey, caller.CenterKey, caller.CertificateThumbprint),
            DeclaredCenterKey = job.SourceCenterKey,
            SourceSystem = HubTransferMedia.SourceSystem,
            IdempotencyKey = job.TransferKey,
            ContentType = contentType,
            ProvenanceHints = hints,
            ExpectedSha256 = staged.Sha256,
            ExpectedSizeBytes = staged.SizeBytes,
        };
    }
}
