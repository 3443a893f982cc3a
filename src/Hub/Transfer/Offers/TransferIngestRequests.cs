using System.Text.Json;
using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Ingest;
using LxAnnotate.Shared.Envelope;

namespace LxAnnotate.Hub.Transfer.Offers;

/// <summary>An offer as the ingest core sees it, and the offer a stored transfer session was opened with.</summary>
internal static class TransferIngestRequests
{
    public static IngestRequest For(TransferOffer offer, CallerIdentity caller, Guid? transferId, MediaEnvelope? envelope = null)
    {
        var hints = new Dictionary<string, string>(offer.ProvenanceHints ?? new Dictionary<string, string>(), StringComparer.Ordinal);

        // The sender's retention is the job's retention_policy column, not a free provenance hint.
        hints.Remove(OriginalUploadVocabulary.RetentionHint, out var retention);
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
            RetentionPolicy = retention,
            ExpectedSha256 = string.IsNullOrEmpty(offer.Sha256) ? null : offer.Sha256.ToLowerInvariant(),
            ExpectedSizeBytes = offer.SizeBytes,
        };
    }

    public static TransferOffer RestoreOffer(TransferSession session) => new()
    {
        Sha256 = session.Sha256 ?? "",
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

    /// <summary>The sender a transfer belongs to: a node by its key; the local watcher has none.</summary>
    public static string? SenderKey(CallerIdentity caller) => caller.Kind == CallerKind.Node ? caller.Subject : null;
}
