using LxAnnotate.Shared.Envelope;

namespace LxAnnotate.Hub.Transfer;

/// <summary>How the transfer boundary reports a refused envelope, at the offer and after the last byte alike.</summary>
internal static class TransferEnvelopeRefusal
{
    public static TransferException From(EnvelopeException refused)
    {
        ArgumentNullException.ThrowIfNull(refused);
        return new TransferException(
            string.Equals(refused.Code, "recipient_key_unavailable", StringComparison.Ordinal) ? TransferErrorKind.PreconditionFailed : TransferErrorKind.InvalidArgument,
            $"Envelope refused ({refused.Code}, phase {refused.Phase}): {refused.Message}");
    }
}
