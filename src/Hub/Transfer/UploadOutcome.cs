using LxAnnotate.Hub.Domain;

namespace LxAnnotate.Hub.Transfer;

/// <summary>The job a completed transfer produced or reused.</summary>
public sealed record UploadOutcome(UploadJob Job, bool Created);
