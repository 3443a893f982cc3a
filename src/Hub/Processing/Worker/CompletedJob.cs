using LxAnnotate.Hub.Domain;

namespace LxAnnotate.Hub.Processing.Worker;

/// <summary>What <see cref="JobQueue.CompleteAsync"/> wrote.</summary>
internal sealed record CompletedJob(UploadJobStatus Status, UploadJobErrorCode? ErrorCode, DateTimeOffset? NextRetryAt, long? SensitiveMetaId);
