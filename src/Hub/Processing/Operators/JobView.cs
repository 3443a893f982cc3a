using LxAnnotate.Hub.Domain;

namespace LxAnnotate.Hub.Processing.Operators;

/// <summary>A job as operators see it: status, attempts, lease and results; never a sensitive value.</summary>
internal sealed record JobView(
    Guid Id,
    string Status,
    string CenterKey,
    string SourceSystem,
    string IngestMode,
    string ContentType,
    string ContentHash,
    long SizeBytes,
    string? ErrorCode,
    string? ErrorDetail,
    int RetryCount,
    int MaxRetries,
    DateTimeOffset? NextRetryAt,
    string? ProcessingLeaseOwner,
    DateTimeOffset? ProcessingLeaseExpiresAt,
    long ProcessingLeaseToken,
    VideoMediaInfo? MediaInfo,
    string? ProcessedVideoHash,
    long? SensitiveMetaId,
    DateTimeOffset? ProcessedAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<JobArtifactView>? Artifacts = null,
    JobValuesView? ExtractedValues = null,
    string? MaskedVideoPath = null,
    JobSensitiveMetaView? SensitiveMeta = null)
{
    public static JobView From(
        UploadJob job, string centerKey, long? sensitiveMetaId, IReadOnlyList<JobArtifactView>? artifacts = null, JobSensitiveMetaView? sensitiveMeta = null)
    {
        ArgumentNullException.ThrowIfNull(job);
        return new JobView(job.Id, job.Status.ToWire(), centerKey, job.SourceSystem, job.IngestMode.ToWire(), job.ContentType, job.ContentHash,
            job.SizeBytes, job.ErrorCode?.ToWire(), job.ErrorDetail, job.RetryCount, job.MaxRetries, job.NextRetryAt, job.ProcessingLeaseOwner,
            job.ProcessingLeaseExpiresAt, job.ProcessingLeaseToken, job.MediaInfo, job.ProcessedVideoHash, sensitiveMetaId, job.ProcessedAt,
            job.CreatedAt, job.UpdatedAt, artifacts, SensitiveMeta: sensitiveMeta);
    }
}
