namespace LxAnnotate.Hub.Processing.Worker;

/// <summary>A claimed job: the fencing <paramref name="Token"/> must still be on the row for any write.</summary>
internal sealed record JobLease(Guid JobId, long Token, string Owner);
