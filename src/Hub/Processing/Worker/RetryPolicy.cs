namespace LxAnnotate.Hub.Processing.Worker;

/// <summary>
/// The original's retry schedule: the first retry 30 s after a failed attempt, doubling, capped at 15 min;
/// a job is attempted at most <c>max_retries</c> (default 3) times, then it ends <c>error</c>.
/// </summary>
internal static class RetryPolicy
{
    public static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(30);

    public static readonly TimeSpan MaxDelay = TimeSpan.FromMinutes(15);

    /// <summary>Delay before retry number <paramref name="retryNumber"/> (1 = the first retry).</summary>
    public static TimeSpan DelayBefore(int retryNumber)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retryNumber, 1);

        // 30 s · 2^(n-1); from n = 6 on (16 min) the cap applies, so the shift never overflows.
        return retryNumber >= 6 ? MaxDelay : TimeSpan.FromTicks(Math.Min(FirstDelay.Ticks << (retryNumber - 1), MaxDelay.Ticks));
    }

    /// <summary>
    /// After a failed attempt of a job that had <paramref name="retriesSoFar"/> retries: the time of the
    /// next attempt, or null when the attempts are used up.
    /// </summary>
    public static DateTimeOffset? NextAttempt(int retriesSoFar, int maxAttempts, DateTimeOffset failedAt)
    {
        var attemptsMade = retriesSoFar + 1;
        return attemptsMade >= maxAttempts ? null : failedAt + DelayBefore(retriesSoFar + 1);
    }
}
