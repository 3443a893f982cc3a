namespace LxAnnotate.Hub.Ingest;

/// <summary>
/// A refusal by the ingest core. The message is safe to return to the caller: it names the problem and
/// never reveals another center's data.
/// </summary>
public sealed class IngestRejectedException(IngestRejectionReason reason, string message) : Exception(message)
{
    public IngestRejectionReason Reason { get; } = reason;
}
