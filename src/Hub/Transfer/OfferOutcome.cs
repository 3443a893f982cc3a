using LxAnnotate.Hub.Domain;

namespace LxAnnotate.Hub.Transfer;

/// <summary>
/// Either the center already holds the content (<see cref="ExistingJob"/>), or a transfer to send it on, or (for an
/// offer without SHA-256) the reason the sender must offer again with it (<see cref="HashRequired"/>).
/// </summary>
public sealed record OfferOutcome(UploadJob? ExistingJob, Guid? TransferId, long Offset)
{
    public string? HashRequired { get; init; }

    public static OfferOutcome NeedsHash(string reason) => new(null, null, 0) { HashRequired = reason };
}
