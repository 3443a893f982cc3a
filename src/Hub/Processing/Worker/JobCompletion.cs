using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Processing.Pipeline;

namespace LxAnnotate.Hub.Processing.Worker;

/// <summary>What a run's outcome becomes in the job row once the retry policy has had its say.</summary>
/// <param name="ErrorCode">Kept for every status but <c>anonymized</c>.</param>
internal sealed record JobCompletion(
    UploadJobStatus Status, int RetryCount, DateTimeOffset? NextRetryAt, UploadJobErrorCode? ErrorCode, string? ErrorDetail)
{
    /// <summary>
    /// A retryable failure becomes <c>retrying</c> with the next attempt time, or stays <c>error</c> when the
    /// attempts are used up.
    /// </summary>
    /// <exception cref="ArgumentException">A failed <paramref name="outcome"/> has no error code.</exception>
    public static JobCompletion For(ProcessingOutcome outcome, int retryCount, int maxRetries, DateTimeOffset now)
    {
        var status = outcome.Status;
        DateTimeOffset? nextRetryAt = null;
        if (status == UploadJobStatus.Error && outcome.Retryable
            && RetryPolicy.NextAttempt(retryCount, maxRetries, now) is { } next)
        {
            status = UploadJobStatus.Retrying;
            retryCount++;
            nextRetryAt = next;
        }

        UploadJobTransitions.EnsureAllowed(UploadJobStatus.Processing, status);
        var failed = status != UploadJobStatus.Anonymized;
        if (failed && outcome.ErrorCode is null)
        {
            throw new ArgumentException($"A '{status.ToWire()}' outcome needs an error code.", nameof(outcome));
        }

        return new JobCompletion(status, retryCount, nextRetryAt, failed ? outcome.ErrorCode : null, failed ? outcome.ErrorDetail : null);
    }
}
