using System.Text.RegularExpressions;
using LxAnnotate.Hub.Ingest;
using LxAnnotate.Shared.Domain;

namespace LxAnnotate.Hub.Transfer.Offers;

/// <summary>What every offer must satisfy before anything is stored, whether it opens a transfer or is delivered in one call.</summary>
internal static partial class OfferRules
{
    /// <summary>Hints a sender may give; identity-bearing provenance is the hub's own to set.</summary>
    private static readonly HashSet<string> SenderHintKeys = new(
        ["watched_path", "sidecar_path", "original_filename", OriginalUploadVocabulary.RetentionHint,
         .. SidecarProvenance.Keys.Select(k => SidecarProvenance.HintPrefix + k)],
        StringComparer.Ordinal);

    public static void Validate(TransferOffer offer, TransferOptions options)
    {
        if (string.IsNullOrEmpty(offer.Sha256))
        {
            ValidateHashLater(offer, options);
        }
        else if (!IsSha256(offer.Sha256))
        {
            throw new TransferException(TransferErrorKind.InvalidArgument, "sha256 must be 64 hexadecimal characters.");
        }

        if (offer.SizeBytes < 0)
        {
            throw new TransferException(TransferErrorKind.InvalidArgument, "size must not be negative.");
        }

        if (offer.SizeBytes == 0)
        {
            // The original refuses an empty file; a 0-byte job would only fail later in processing.
            throw new TransferException(TransferErrorKind.InvalidArgument, "size is 0: an empty artifact is not accepted.");
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

            if (key == OriginalUploadVocabulary.RetentionHint
                && offer.ProvenanceHints![key] is not (OriginalUploadVocabulary.RetentionDeleteAfterSuccess or OriginalUploadVocabulary.RetentionPreserveSource))
            {
                throw new TransferException(
                    TransferErrorKind.InvalidArgument,
                    $"Provenance hint '{key}' must be {OriginalUploadVocabulary.RetentionDeleteAfterSuccess} or {OriginalUploadVocabulary.RetentionPreserveSource}.");
            }

            // Checked at the offer, so a bad sidecar value is refused before any byte is sent.
            if (key.StartsWith(SidecarProvenance.HintPrefix, StringComparison.Ordinal) && SidecarProvenance.Problem(key, offer.ProvenanceHints![key]) is { } problem)
            {
                throw new TransferException(TransferErrorKind.InvalidArgument, problem);
            }
        }
    }

    /// <summary>A SHA-256 as an offer or an Upload trailer declares it: 64 hexadecimal characters (either case).</summary>
    public static bool IsSha256(string? value) => value is not null && Sha256Pattern().IsMatch(value);

    /// <summary>True when the offer leaves its SHA-256 to the Upload trailer (see <see cref="ValidateHashLater"/>).</summary>
    public static bool HashesLater(TransferOffer offer) => string.IsNullOrEmpty(offer.Sha256);

    /// <summary>
    /// An offer may leave its SHA-256 to the Upload trailer only for an artifact sent with <c>Upload</c> (larger than
    /// one chunk), without an envelope (whose metadata binds the plaintext hash) and with an idempotency key (by which
    /// a later offer with the hash finds the transfer again).
    /// </summary>
    public static void ValidateHashLater(TransferOffer offer, TransferOptions options)
    {
        if (offer.EnvelopeJson is not null)
        {
            throw new TransferException(TransferErrorKind.InvalidArgument, "sha256 is required with an envelope.");
        }

        if (offer.SizeBytes <= options.MaxChunkBytes)
        {
            throw new TransferException(
                TransferErrorKind.InvalidArgument, $"sha256 is required for an artifact of at most {options.MaxChunkBytes} bytes (one chunk).");
        }

        if (string.IsNullOrEmpty(offer.IdempotencyKey))
        {
            throw new TransferException(TransferErrorKind.InvalidArgument, "An offer without sha256 needs an idempotency_key.");
        }
    }

    [GeneratedRegex("^[0-9a-fA-F]{64}$")]
    private static partial Regex Sha256Pattern();
}
