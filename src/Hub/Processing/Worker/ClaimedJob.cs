using LxAnnotate.Hub.Processing.Pipeline;

namespace LxAnnotate.Hub.Processing.Worker;

/// <summary>A job this worker holds the lease of, with what the run needs from its row.</summary>
/// <param name="StoragePath">Relative to the storage directory, as stored.</param>
internal sealed record ClaimedJob(
    JobLease Lease, ProcessingJob Job, string StoragePath, string StorageClass, long SizeBytes, int RetryCount, int MaxRetries);
