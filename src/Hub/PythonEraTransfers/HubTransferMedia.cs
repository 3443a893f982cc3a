using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text;
using LxAnnotate.Hub.Authentication;
using LxAnnotate.Hub.Data;
using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Envelopes;
using LxAnnotate.Hub.Ingest;
using LxAnnotate.Hub.Storage;
using LxAnnotate.Hub.Upload;
using LxAnnotate.Shared.Envelope;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;

namespace LxAnnotate.Hub.PythonEraTransfers;

/// <summary>
/// <c>POST /api/media/hub/transfers/{transfer_key}/media/</c> in all three sender generations: 2.0 plaintext
/// multipart (only with <c>ENDOREG_HUB_TRANSFER_ALLOW_PLAINTEXT_MEDIA=true</c>), 3.0 multipart with an
/// <c>envelope</c> part, 3.0 raw body with <c>X-Hub-Media-Role</c> / <c>X-Hub-Media-Envelope</c>. The body
/// streams into an owner-only staging file (decrypted on the way for 3.0); only after the tag and the
/// plaintext SHA-256 verified does the ingest core take the file, and the job becomes <c>applied</c>.
/// </summary>
internal static class HubTransferMedia
{
    public const string RoleHeader = "X-Hub-Media-Role";

    public const string EnvelopeHeader = "X-Hub-Media-Envelope";

    public const string ProcessedRole = "processed";

    public const string ProcessingDecision = "skip_processing_preserved_state";

    public const string Entrypoint = "transfer.hub_rest";

    public const string SourceSystem = "lx-annotate-node";

    /// <summary>Multipart framing and the text parts around the file part.</summary>
    private const long MultipartOverheadBytes = 64 * 1024;

    /// <summary>An upload that has held the job this long without finishing is taken to have died with its process.</summary>
    private static readonly TimeSpan StaleUploadAfter = TimeSpan.FromHours(6);

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static async Task<IResult> AttachAsync(
        string transferKey,
        HttpContext context,
        HubTransferOptions settings,
        NodeCertificateOptions nodeCertificates,
        LxaDbContext db,
        IngestService ingest,
        ContentStore store,
        TimeProvider time,
        ILoggerFactory loggers)
    {
        if (!settings.Enabled)
        {
            return HubTransferApi.NotFound();
        }

        var logger = loggers.CreateLogger(HubTransferLog.Category);
        var cancellationToken = context.RequestAborted;
        var bodyLimit = settings.MaxUploadBytes > long.MaxValue - MultipartOverheadBytes
            ? long.MaxValue
            : settings.MaxUploadBytes + MultipartOverheadBytes;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = bodyLimit;
        }

        HubTransferCaller caller;
        try
        {
            caller = await HubTransferAuthenticator.AuthenticateAsync(context, nodeCertificates, db);
        }
        catch (HubTransferRefusal refusal)
        {
            return HubTransferApi.Refuse(logger, null, refusal);
        }

        var job = await HubTransferApi.FindOwnAsync(db, transferKey, caller, cancellationToken);
        if (job is null)
        {
            return HubTransferApi.NotFound();
        }

        string? staging = null;
        var locked = false;
        try
        {
            if (context.Request.ContentLength > bodyLimit)
            {
                throw new HubTransferRefusal(StatusCodes.Status413PayloadTooLarge, $"The media is larger than the hub's limit of {settings.MaxUploadBytes} bytes.", "media_too_large", "media_receive", ["file"]);
            }

            if (job.TransferStatus == HubTransferStatus.Inconsistent)
            {
                throw new HubTransferRefusal(StatusCodes.Status409Conflict, "The transfer is inconsistent: different media was sent after it was applied.", "transfer_inconsistent", "media_replay");
            }

            await using var upload = await MediaUpload.OpenAsync(context.Request, cancellationToken);
            var envelope = upload.EnvelopeJson is null ? null : ParseEnvelope(upload.EnvelopeJson, job);
            CheckGeneration(job, envelope, settings);
            if (envelope is not null && envelope.PlaintextSize > settings.MaxUploadBytes)
            {
                throw new HubTransferRefusal(StatusCodes.Status413PayloadTooLarge, $"plaintext_size is larger than the hub's limit of {settings.MaxUploadBytes} bytes.", "media_too_large", "envelope_metadata", ["plaintext_size"]);
            }

            if (job.TransferStatus == HubTransferStatus.Applied)
            {
                return await ReplayAsync(db, job, envelope, upload.File, settings, logger, time, cancellationToken);
            }

            locked = await LockAsync(db, job.Id, time, cancellationToken);
            if (!locked)
            {
                throw new HubTransferRefusal(StatusCodes.Status409Conflict, "Transfer media attachment is already in progress.", "media_upload_in_progress", "media_receive");
            }

            Directory.CreateDirectory(store.IncomingDir);
            staging = Path.Combine(store.IncomingDir, $"hub-transfer-{Guid.NewGuid():N}.part");
            var (staged, receivedSha) = await StageMediaAsync(upload.File, envelope, job, staging, settings, cancellationToken);
            var contentType = await ContentSniffer.DetectFileAsync(staging, cancellationToken)
                ?? (job.ResourceKind == "report" ? ContentSniffer.Pdf : "application/octet-stream");
            var fingerprint = envelope?.FingerprintSha256();
            var hints = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["transfer_id"] = job.Id.ToString(),
                ["transfer_key"] = job.TransferKey,
            };
            if (fingerprint is not null)
            {
                hints["envelope_fingerprint_sha256"] = fingerprint;
            }

            IngestResult result;
            try
            {
                result = await ingest.IngestStagedAsync(new IngestRequest
                {
                    Boundary = IngestMode.Transfer,
                    Entrypoint = Entrypoint,
                    Caller = CallerIdentity.ForNode(caller.NodeKey, caller.CenterKey, caller.CertificateThumbprint),
                    DeclaredCenterKey = job.SourceCenterKey,
                    SourceSystem = SourceSystem,
                    IdempotencyKey = job.TransferKey,
                    ContentType = contentType,
                    ProvenanceHints = hints,
                    ExpectedSha256 = staged.Sha256,
                    ExpectedSizeBytes = staged.SizeBytes,
                }, staged, cancellationToken);
            }
            catch (IngestRejectedException ex)
            {
                await MarkAsync(db, job.Id, HubTransferStatus.Failed, ex.Message, time);
                throw new HubTransferRefusal(UploadApi.StatusFor(ex.Reason), ex.Message, "ingest_rejected", "ingest_commit");
            }

            var applied = await ApplyAsync(db, job.Id, result.Job.Id, envelope, fingerprint, receivedSha, time, cancellationToken);
            locked = false;
            HubTransferLog.Applied(logger, job.TransferKey, result.Job.Id, job.PayloadSchemaVersion, staged.SizeBytes);
            return TypedResults.Json(HubTransferStatusBody.For(applied));
        }
        catch (HubTransferRefusal refusal)
        {
            if (locked)
            {
                await MarkAsync(db, job.Id, null, refusal.Message, time);
            }

            var current = await db.HubTransferJobs.AsNoTracking().FirstAsync(j => j.Id == job.Id, CancellationToken.None);
            return HubTransferApi.Refuse(logger, current, refusal);
        }
        finally
        {
            if (locked)
            {
                await UnlockAsync(db, job.Id);
            }

            if (staging is not null)
            {
                ContentStore.DeleteQuietly(staging);
            }
        }
    }

    internal static MediaEnvelope ParseEnvelope(string json, HubTransferJob job)
    {
        MediaEnvelope envelope;
        try
        {
            envelope = MediaEnvelope.Parse(json);
        }
        catch (EnvelopeException ex)
        {
            throw Rejected(ex);
        }

        (string Field, string Actual, string Expected)[] identity =
        [
            ("transfer_key", envelope.TransferKey, job.TransferKey),
            ("source_node_key", envelope.SourceNodeKey, job.SourceNodeKey),
            ("source_center_key", envelope.SourceCenterKey, job.SourceCenterKey),
            ("target_node_key", envelope.TargetNodeKey, job.TargetNodeKey),
            ("resource_kind", envelope.ResourceKind, job.ResourceKind),
            ("resource_hash", envelope.ResourceHash, job.ResourceHash),
            ("processed_media_hash", envelope.ProcessedMediaHash, job.ProcessedMediaHash),
            ("transfer_mode", envelope.TransferMode, job.TransferMode),
            ("media_role", envelope.MediaRole, ProcessedRole),
        ];
        foreach (var (field, actual, expected) in identity)
        {
            if (!string.Equals(actual, expected, StringComparison.Ordinal))
            {
                throw new HubTransferRefusal(StatusCodes.Status400BadRequest, $"Envelope field '{field}' does not match the transfer.", "envelope_identity_mismatch", "envelope_metadata", [field]);
            }
        }

        return envelope;
    }

    internal static void CheckGeneration(HubTransferJob job, MediaEnvelope? envelope, HubTransferOptions settings)
    {
        if (job.PayloadSchemaVersion == HubTransferPayloadValidator.EnvelopeGeneration && envelope is null)
        {
            throw new HubTransferRefusal(StatusCodes.Status400BadRequest, "A payload_schema_version 3.0 transfer needs its media in an envelope.", "envelope_required", "media_receive", ["envelope"]);
        }

        if (job.PayloadSchemaVersion == HubTransferPayloadValidator.PlaintextGeneration)
        {
            if (envelope is not null)
            {
                throw new HubTransferRefusal(StatusCodes.Status400BadRequest, "A payload_schema_version 2.0 transfer carries plaintext media, not an envelope.", "envelope_not_expected", "media_receive", ["envelope"]);
            }

            if (!settings.AllowPlaintextMedia)
            {
                throw new HubTransferRefusal(StatusCodes.Status403Forbidden, "Plaintext media is not accepted by this hub (ENDOREG_HUB_TRANSFER_ALLOW_PLAINTEXT_MEDIA is off); send an envelope (payload_schema_version 3.0).", "plaintext_media_disabled", "media_receive", ["file"]);
            }
        }
    }

    /// <summary>An applied transfer: the same envelope and bytes get the same answer; anything else makes it inconsistent.</summary>
    private static async Task<IResult> ReplayAsync(LxaDbContext db, HubTransferJob job, MediaEnvelope? envelope, Stream body, HubTransferOptions settings, ILogger logger, TimeProvider time, CancellationToken cancellationToken)
    {
        var same = string.Equals(envelope?.FingerprintSha256(), job.EnvelopeFingerprint, StringComparison.Ordinal);
        if (same)
        {
            var (sha, _) = await HashAsync(body, settings.MaxUploadBytes, cancellationToken);
            same = string.Equals(sha, job.ReceivedMediaSha256, StringComparison.Ordinal);
        }

        if (same)
        {
            HubTransferLog.Replayed(logger, job.TransferKey);
            return TypedResults.Json(HubTransferStatusBody.For(job));
        }

        await MarkAsync(db, job.Id, HubTransferStatus.Inconsistent, "Different media was sent after the transfer was applied.", time);
        HubTransferLog.Inconsistent(logger, job.TransferKey);
        var current = await db.HubTransferJobs.AsNoTracking().FirstAsync(j => j.Id == job.Id, CancellationToken.None);
        return HubTransferApi.Refuse(logger, current, new HubTransferRefusal(StatusCodes.Status409Conflict, "The transfer was already applied with different media; it is now inconsistent.", "transfer_inconsistent", "media_replay"));
    }

    /// <summary>Claims the job for this upload; false when another upload holds it (and is not stale).</summary>
    private static async Task<bool> LockAsync(LxaDbContext db, Guid id, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var stale = now - StaleUploadAfter;
        var claimed = await db.HubTransferJobs
            .Where(j => j.Id == id
                && (j.TransferStatus == HubTransferStatus.AwaitingMedia || j.TransferStatus == HubTransferStatus.Failed)
                && (j.MediaUploadStartedAt == null || j.MediaUploadStartedAt < stale))
            .ExecuteUpdateAsync(s => s
                .SetProperty(j => j.MediaUploadStartedAt, now)
                .SetProperty(j => j.StatusDetail, "Media upload in progress.")
                .SetProperty(j => j.UpdatedAt, now), cancellationToken);
        return claimed == 1;
    }

    private static Task<int> UnlockAsync(LxaDbContext db, Guid id) =>
        db.HubTransferJobs.Where(j => j.Id == id).ExecuteUpdateAsync(s => s.SetProperty(j => j.MediaUploadStartedAt, (DateTimeOffset?)null), CancellationToken.None);

    private static async Task MarkAsync(LxaDbContext db, Guid id, HubTransferStatus? status, string detail, TimeProvider time)
    {
        var now = time.GetUtcNow();
        var text = detail.Length > 1024 ? detail[..1024] : detail;
        if (status is { } value)
        {
            await db.HubTransferJobs.Where(j => j.Id == id).ExecuteUpdateAsync(s => s
                .SetProperty(j => j.TransferStatus, value)
                .SetProperty(j => j.StatusDetail, text)
                .SetProperty(j => j.UpdatedAt, now), CancellationToken.None);
        }
        else
        {
            await db.HubTransferJobs.Where(j => j.Id == id).ExecuteUpdateAsync(s => s
                .SetProperty(j => j.StatusDetail, text)
                .SetProperty(j => j.UpdatedAt, now), CancellationToken.None);
        }
    }

    private static async Task<HubTransferJob> ApplyAsync(
        LxaDbContext db, Guid id, Guid uploadJobId, MediaEnvelope? envelope, string? fingerprint, string receivedSha, TimeProvider time, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var job = await db.HubTransferJobs.FirstAsync(j => j.Id == id, cancellationToken);
        var now = time.GetUtcNow();
        job.TransferStatus = HubTransferStatus.Applied;
        job.ProcessingDecision = ProcessingDecision;
        job.StatusDetail = "Processed media received and stored; processing is skipped, the node's state is preserved.";
        job.CaseResolutionStatus = "resolved";
        job.UploadJobId = uploadJobId;
        job.EnvelopeFingerprint = fingerprint;
        job.ReceivedMediaSha256 = receivedSha;
        job.MediaUploadStartedAt = null;
        job.UpdatedAt = now;
        job.AppliedAt = now;
        if (envelope is not null)
        {
            job.EnvelopeReceipt = Receipt(job, envelope, fingerprint!, receivedSha).ToJsonString();
        }

        await db.SaveChangesAsync(CancellationToken.None);
        return job;
    }

    /// <summary>The envelope receipt: exactly these keys, nothing more.</summary>
    private static JsonObject Receipt(HubTransferJob job, MediaEnvelope envelope, string fingerprint, string ciphertextSha) => new()
    {
        ["contract_version"] = MediaEnvelope.ReceiptContractVersion,
        ["envelope_contract_version"] = MediaEnvelope.ContractVersion,
        ["profile"] = MediaEnvelope.Profile,
        ["transfer_key"] = envelope.TransferKey,
        ["source_node_key"] = envelope.SourceNodeKey,
        ["source_center_key"] = envelope.SourceCenterKey,
        ["target_node_key"] = envelope.TargetNodeKey,
        ["resource_kind"] = envelope.ResourceKind,
        ["resource_hash"] = envelope.ResourceHash,
        ["processed_media_hash"] = envelope.ProcessedMediaHash,
        ["transfer_mode"] = envelope.TransferMode,
        ["media_role"] = envelope.MediaRole,
        ["plaintext_sha256"] = envelope.PlaintextSha256,
        ["plaintext_size"] = envelope.PlaintextSize,
        ["recipient_key_id"] = envelope.RecipientKeyId,
        ["ciphertext_sha256"] = ciphertextSha,
        ["ciphertext_size"] = envelope.PlaintextSize,
        ["envelope_fingerprint_sha256"] = fingerprint,
        ["receiver_transfer_id"] = job.Id.ToString(),
        ["transfer_status"] = HubTransferStatus.Applied.ToWire(),
        ["processing_decision"] = ProcessingDecision,
        ["verified"] = true,
    };

    /// <summary>
    /// The media into the staging file, verified as the transfer's processed media: an envelope through the hub's one
    /// <see cref="EnvelopeOpener"/>, plaintext (generation 2.0) hashed on the way. Also returns the SHA-256 of the bytes received.
    /// </summary>
    internal static async Task<(StagedContent Staged, string ReceivedSha256)> StageMediaAsync(
        Stream body, MediaEnvelope? envelope, HubTransferJob job, string staging, HubTransferOptions settings, CancellationToken cancellationToken)
    {
        var expected = new ExpectedMedia(job.ProcessedMediaHash);
        if (envelope is not null)
        {
            try
            {
                var opened = await EnvelopeOpener.OpenToFileAsync(envelope, settings.RecipientKeys, body, staging, expected, cancellationToken);
                return (opened.Plaintext, opened.CiphertextSha256);
            }
            catch (EnvelopeRefusedException ex)
            {
                throw ex.Envelope is { } refused ? Rejected(refused) : ProcessedMediaMismatch();
            }
        }

        var staged = await StagePlaintextAsync(body, staging, settings.MaxUploadBytes, cancellationToken);
        return expected.Matches(staged) ? (staged, staged.Sha256) : throw ProcessedMediaMismatch();
    }

    private static HubTransferRefusal ProcessedMediaMismatch() => new(
        StatusCodes.Status400BadRequest,
        "The SHA-256 of the received media differs from the processed media hash of the transfer.",
        "processed_media_hash_mismatch",
        "payload_verify",
        ["file"]);

    private static HubTransferRefusal Rejected(EnvelopeException ex) => new(
        StatusCodes.Status400BadRequest,
        ex.Message,
        ex.Code,
        ex.Phase,
        ex.Field is null ? [] : [ex.Field]);

    /// <summary>Plaintext (generation 2.0) into an owner-only staging file, hashed on the way, never more than one buffer in memory.</summary>
    private static async Task<StagedContent> StagePlaintextAsync(Stream source, string path, long maxBytes, CancellationToken cancellationToken)
    {
        StagedContent staged;
        try
        {
            staged = await ContentStore.StageToFileAsync(source, path, maxBytes, OwnerOnly, cancellationToken);
        }
        catch (ContentTooLargeException)
        {
            throw new HubTransferRefusal(StatusCodes.Status413PayloadTooLarge, $"The media is larger than the hub's limit of {maxBytes} bytes.", "media_too_large", "media_receive", ["file"]);
        }

        if (staged.SizeBytes == 0)
        {
            throw new HubTransferRefusal(StatusCodes.Status400BadRequest, "The media file is empty.", "media_empty", "media_receive", ["file"]);
        }

        return staged;
    }

    private static async Task<(string Sha256, long Size)> HashAsync(Stream source, long maxBytes, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ContentStore.BufferSize);
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long size = 0;
            int read;
            while ((read = await source.ReadAsync(buffer.AsMemory(0, ContentStore.BufferSize), cancellationToken)) > 0)
            {
                size += read;
                if (size > maxBytes)
                {
                    throw new HubTransferRefusal(StatusCodes.Status413PayloadTooLarge, $"The media is larger than the hub's limit of {maxBytes} bytes.", "media_too_large", "media_receive", ["file"]);
                }

                hash.AppendData(buffer, 0, read);
            }

            return (Convert.ToHexStringLower(hash.GetHashAndReset()), size);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The media request in either shape: multipart (<c>media_role</c>, optional <c>envelope</c>, then <c>file</c>) or a raw body with headers.</summary>
    internal sealed class MediaUpload : IAsyncDisposable
    {
        private MediaUpload(Stream file, string? envelopeJson)
        {
            File = file;
            EnvelopeJson = envelopeJson;
        }

        public Stream File { get; }

        public string? EnvelopeJson { get; }

        public static async Task<MediaUpload> OpenAsync(HttpRequest request, CancellationToken cancellationToken)
        {
            var contentType = request.ContentType ?? "";
            if (contentType.StartsWith("application/octet-stream", StringComparison.OrdinalIgnoreCase))
            {
                var role = request.Headers[RoleHeader].ToString();
                if (!string.Equals(role, ProcessedRole, StringComparison.Ordinal))
                {
                    throw new HubTransferRefusal(StatusCodes.Status400BadRequest, $"{RoleHeader} must be '{ProcessedRole}'.", "invalid_media_role", "media_receive", ["media_role"]);
                }

                var header = request.Headers[EnvelopeHeader];
                if (header.Count != 1 || string.IsNullOrEmpty(header.ToString()))
                {
                    throw new HubTransferRefusal(StatusCodes.Status400BadRequest, $"A raw media body needs exactly one {EnvelopeHeader} header.", "envelope_required", "media_receive", ["envelope"]);
                }

                var json = header.ToString();
                if (Encoding.UTF8.GetByteCount(json) > MediaEnvelope.MaxJsonBytes)
                {
                    throw new HubTransferRefusal(StatusCodes.Status400BadRequest, $"{EnvelopeHeader} is larger than {MediaEnvelope.MaxJsonBytes} bytes.", "envelope_too_large", "envelope_metadata", ["envelope"]);
                }

                return new MediaUpload(request.Body, json);
            }

            if (!MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
                || !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
                || HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value is not { Length: > 0 and <= 256 } boundary)
            {
                throw new HubTransferRefusal(StatusCodes.Status400BadRequest, "The media must be multipart/form-data or application/octet-stream.", "unsupported_content_type", "media_receive");
            }

            var reader = new MultipartReader(boundary, request.Body) { HeadersLengthLimit = 16 * 1024 };
            string? mediaRole = null;
            string? envelope = null;
            while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || !disposition.DispositionType.Equals("form-data"))
                {
                    throw new HubTransferRefusal(StatusCodes.Status400BadRequest, "Every part needs a form-data Content-Disposition.", "invalid_multipart", "media_receive");
                }

                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value;
                switch (name)
                {
                    case "file":
                        if (!string.Equals(mediaRole, ProcessedRole, StringComparison.Ordinal))
                        {
                            throw new HubTransferRefusal(StatusCodes.Status400BadRequest, $"media_role must be '{ProcessedRole}' and come before the file part.", "invalid_media_role", "media_receive", ["media_role"]);
                        }

                        return new MediaUpload(section.Body, envelope);
                    case "media_role":
                        mediaRole = await ReadTextAsync(section.Body, 64, "media_role", cancellationToken);
                        break;
                    case "envelope":
                        envelope = await ReadTextAsync(section.Body, MediaEnvelope.MaxJsonBytes, "envelope", cancellationToken);
                        break;
                    default:
                        throw new HubTransferRefusal(StatusCodes.Status400BadRequest, "Unknown form part (expected media_role, envelope, file).", "unknown_form_field", "media_receive");
                }
            }

            throw new HubTransferRefusal(StatusCodes.Status400BadRequest, "The file part is missing.", "missing_file", "media_receive", ["file"]);
        }

        private static async Task<string> ReadTextAsync(Stream body, int maxBytes, string field, CancellationToken cancellationToken)
        {
            var buffer = new byte[maxBytes + 1];
            var total = 0;
            int read;
            while (total < buffer.Length && (read = await body.ReadAsync(buffer.AsMemory(total), cancellationToken)) > 0)
            {
                total += read;
            }

            if (total > maxBytes)
            {
                throw new HubTransferRefusal(StatusCodes.Status400BadRequest, $"The {field} part is larger than {maxBytes} bytes.", field == "envelope" ? "envelope_too_large" : "invalid_field", "media_receive", [field]);
            }

            return Encoding.UTF8.GetString(buffer, 0, total).Trim();
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
