using LxAnnotate.Hub.Domain;
using LxAnnotate.Shared.Envelope;

namespace LxAnnotate.Hub.PythonEraTransfers;

/// <summary>
/// Whether the media request fits its transfer job before any byte of the media is read: the envelope names
/// exactly this transfer, and the job's generation gets the media form it was created for.
/// </summary>
internal static class HubTransferMediaVerifier
{
    /// <summary>The parsed envelope (null for plaintext media) after every check against <paramref name="job"/>.</summary>
    public static MediaEnvelope? Verify(string? envelopeJson, HubTransferJob job, HubTransferOptions settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var envelope = envelopeJson is null ? null : ParseEnvelope(envelopeJson, job);
        CheckGeneration(job, envelope, settings);
        if (envelope is not null && envelope.PlaintextSize > settings.MaxUploadBytes)
        {
            throw new HubTransferRefusal(StatusCodes.Status413PayloadTooLarge, $"plaintext_size is larger than the hub's limit of {settings.MaxUploadBytes} bytes.", "media_too_large", "envelope_metadata", ["plaintext_size"]);
        }

        return envelope;
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
            throw HubTransferRefusals.Envelope(ex);
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
            ("media_role", envelope.MediaRole, HubTransferMedia.ProcessedRole),
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
}
