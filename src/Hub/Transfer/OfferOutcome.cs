using LxAnnotate.Hub.Domain;

namespace LxAnnotate.Hub.Transfer;

/// <summary>Either the center already holds the content (<see cref="ExistingJob"/>) or a transfer to send it on.</summary>
public sealed record OfferOutcome(UploadJob? ExistingJob, Guid? TransferId, long Offset);
