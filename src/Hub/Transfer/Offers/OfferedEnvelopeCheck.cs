using LxAnnotate.Hub.Envelopes;
using LxAnnotate.Hub.Ingest;
using LxAnnotate.Shared.Envelope;

namespace LxAnnotate.Hub.Transfer.Offers;

/// <summary>
/// Checks an offered envelope before any byte: the hub's policy, the strict metadata, its binding to the offer
/// and the caller, and that a recipient key opens it (the data key is unwrapped, so altered metadata fails here).
/// </summary>
internal static class OfferedEnvelopeCheck
{
    public static MediaEnvelope? Check(TransferOffer offer, CallerIdentity caller, TransferOptions options)
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
            if (Problem(envelope, offer, caller) is { } problem)
            {
                throw new TransferException(TransferErrorKind.InvalidArgument, $"Envelope refused (envelope_identity_mismatch, phase offer): {problem}.");
            }

            EnvelopeOpener.EnsureOpenable(envelope, options.RecipientKeys);
            return envelope;
        }
        catch (EnvelopeException ex)
        {
            throw TransferEnvelopeRefusal.From(ex);
        }
        catch (EnvelopeRefusedException ex) when (ex.Envelope is { } refused)
        {
            throw TransferEnvelopeRefusal.From(refused);
        }
    }

    private static string? Problem(MediaEnvelope envelope, TransferOffer offer, CallerIdentity caller)
    {
        var sha256 = offer.Sha256.ToLowerInvariant();
        if (!string.Equals(envelope.PlaintextSha256, sha256, StringComparison.Ordinal) || envelope.PlaintextSize != offer.SizeBytes)
        {
            return "plaintext_sha256 and plaintext_size must equal the offered sha256 and size";
        }

        if (!string.Equals(envelope.ResourceHash, sha256, StringComparison.Ordinal))
        {
            return "resource_hash must equal the offered sha256";
        }

        if (caller.Kind == CallerKind.Node && !string.Equals(envelope.SourceNodeKey, caller.Subject, StringComparison.Ordinal))
        {
            return "source_node_key must be the sending node";
        }

        if (!string.Equals(envelope.SourceCenterKey, string.IsNullOrEmpty(offer.CenterKey) ? GrpcEnvelopeContract.DefaultCenter : offer.CenterKey, StringComparison.Ordinal))
        {
            return $"source_center_key must be the offered center_key (or '{GrpcEnvelopeContract.DefaultCenter}' when none is offered)";
        }

        if (!string.Equals(envelope.ResourceKind, GrpcEnvelopeContract.ResourceKind(offer.ContentType), StringComparison.Ordinal)
            || !string.Equals(envelope.TransferKey, GrpcEnvelopeContract.TransferKey(envelope.SourceNodeKey, envelope.ResourceKind, sha256), StringComparison.Ordinal)
            || !string.Equals(envelope.TransferMode, GrpcEnvelopeContract.TransferMode, StringComparison.Ordinal)
            || !string.Equals(envelope.MediaRole, GrpcEnvelopeContract.MediaRole, StringComparison.Ordinal)
            || !string.Equals(envelope.TargetNodeKey, GrpcEnvelopeContract.TargetNodeKey, StringComparison.Ordinal))
        {
            return "resource_kind, transfer_key, transfer_mode, media_role and target_node_key must follow the gRPC envelope contract";
        }

        return null;
    }
}
