using LxAnnotate.Hub.Domain;

namespace LxAnnotate.Hub.PythonImport;

/// <summary>
/// The original's job status as ours. <c>processing</c> becomes <c>pending</c>: the Python worker that held the job is
/// stopped at switch-over, so our worker takes the job up from the start. The original has no error codes; its
/// <c>error</c> is <c>processing_failed</c> and its <c>lost</c> is <c>source_missing</c>, with its error detail kept.
/// </summary>
internal static class JobStatusMapping
{
    public static (UploadJobStatus Status, UploadJobErrorCode? ErrorCode)? Map(string original) => original switch
    {
        "pending" or "processing" => (UploadJobStatus.Pending, null),
        "anonymized" => (UploadJobStatus.Anonymized, null),
        "error" => (UploadJobStatus.Error, UploadJobErrorCode.ProcessingFailed),
        "lost" => (UploadJobStatus.Lost, UploadJobErrorCode.SourceMissing),
        _ => null,
    };
}
