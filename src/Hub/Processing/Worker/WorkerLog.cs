namespace LxAnnotate.Hub.Processing.Worker;

/// <summary>Worker log lines: job ids, statuses, error codes and stage names only, never a patient value or file name.</summary>
internal static partial class WorkerLog
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "worker {Owner} started (lease {LeaseSeconds} s)")]
    public static partial void Started(ILogger logger, string owner, double leaseSeconds);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Information, Message = "job {JobId} claimed (lease token {Token})")]
    public static partial void Claimed(ILogger logger, Guid jobId, long token);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Information, Message = "job {JobId} finished: {Status}, error code {ErrorCode}")]
    private static partial void LogFinished(ILogger logger, Guid jobId, string status, string errorCode);

    /// <summary>A job's result as written; a job without an error code says <c>none</c>.</summary>
    public static void Finished(ILogger logger, Guid jobId, string status, string? errorCode) =>
        LogFinished(logger, jobId, status, errorCode ?? "none");

    [LoggerMessage(EventId = 5004, Level = LogLevel.Warning, Message = "job {JobId}: the lease was lost (expired and taken by another worker); the result was not written")]
    public static partial void LeaseLost(ILogger logger, Guid jobId);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Error, Message = "job {JobId}: processing failed unexpectedly ({ExceptionType})")]
    public static partial void Crashed(ILogger logger, Guid jobId, string exceptionType);

    [LoggerMessage(EventId = 5006, Level = LogLevel.Warning, Message = "queue access failed ({ExceptionType}); trying again")]
    public static partial void QueueFailed(ILogger logger, string exceptionType);

    [LoggerMessage(EventId = 5007, Level = LogLevel.Information, Message = "job {JobId} released on shutdown")]
    public static partial void Released(ILogger logger, Guid jobId);

    [LoggerMessage(EventId = 5008, Level = LogLevel.Information, Message = "worker {Owner} stopped")]
    public static partial void Stopped(ILogger logger, string owner);

    [LoggerMessage(EventId = 5009, Level = LogLevel.Warning, Message = "the database is unreachable ({ExceptionType}); checking again in {PauseSeconds} s")]
    public static partial void DatabaseUnreachable(ILogger logger, string exceptionType, double pauseSeconds);
}
