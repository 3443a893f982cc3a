using LxAnnotate.Shared.Domain;

namespace LxAnnotate.Shared.Transfer;

/// <summary>The job a completed transfer produced or reused.</summary>
public sealed record UploadOutcome(UploadJob Job, bool Created);
