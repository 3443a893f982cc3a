using LxAnnotate.Hub.Domain;

namespace LxAnnotate.Hub.Processing.Pipeline;

/// <summary>What one run of the pipeline produced for a job; written by the worker under its lease.</summary>
/// <param name="Status">The status the pipeline asks for: <c>anonymized</c>, <c>error</c> or <c>lost</c>; a retryable failure is turned into <c>retrying</c> by the retry policy.</param>
/// <param name="SensitiveMeta">Values to store through the sensitive store (never logged).</param>
/// <param name="Artifacts">Files written for the job, recorded as <c>processed_artifact</c> rows.</param>
internal sealed record ProcessingOutcome(
    UploadJobStatus Status,
    UploadJobErrorCode? ErrorCode = null,
    string? ErrorDetail = null,
    bool Retryable = false,
    VideoMediaInfo? MediaInfo = null,
    string? ProcessedVideoHash = null,
    SensitiveValues? SensitiveMeta = null,
    IReadOnlyList<ProducedArtifact>? Artifacts = null)
{
    public static ProcessingOutcome Failed(ProcessingFailedException failure, VideoMediaInfo? mediaInfo) =>
        new(UploadJobStatus.Error, failure.Code, failure.Message, failure.Retryable, mediaInfo);
}
