using LxAnnotate.Hub.Domain;

namespace LxAnnotate.Hub.Processing.Pipeline;

/// <summary>
/// A stage could not finish. <see cref="Retryable"/> failures (a tool timed out or crashed) follow the
/// retry schedule; the others end the job at once. The detail names the problem, never a patient value.
/// </summary>
internal sealed class ProcessingFailedException(UploadJobErrorCode code, string detail, bool retryable, Exception? inner = null)
    : Exception(detail, inner)
{
    public UploadJobErrorCode Code { get; } = code;

    public bool Retryable { get; } = retryable;
}
