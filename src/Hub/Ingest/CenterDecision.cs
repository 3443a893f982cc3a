namespace LxAnnotate.Hub.Ingest;

/// <summary>Result of <see cref="CenterPolicy.Resolve"/>: either a center key or a rejection.</summary>
public sealed record CenterDecision
{
    private CenterDecision()
    {
    }

    public string? CenterKey { get; private init; }

    public IngestRejectionReason? Rejection { get; private init; }

    public string Message { get; private init; } = "";

    /// <summary>True when the center came from <c>LX_ANNOTATE_DEFAULT_CENTER</c> or the node binding, not the declaration.</summary>
    public bool UsedFallback { get; private init; }

    public bool IsResolved => CenterKey is not null;

    public static CenterDecision Resolved(string centerKey, bool usedFallback) =>
        new() { CenterKey = centerKey, UsedFallback = usedFallback, Message = "resolved" };

    public static CenterDecision Rejected(IngestRejectionReason reason, string message) =>
        new() { Rejection = reason, Message = message };

    public IngestRejectedException ToException() =>
        new(Rejection ?? throw new InvalidOperationException("The decision is not a rejection."), Message);
}
