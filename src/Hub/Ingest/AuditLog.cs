using LxAnnotate.Hub.Domain;
using Microsoft.Extensions.Logging;

namespace LxAnnotate.Hub.Ingest;

/// <summary>
/// Audit events of the ingest core, under the <c>LxAnnotate.Audit</c> category so operators can route
/// them apart. Fields are keys, hashes and identities only: never file contents, secrets or patient data.
/// </summary>
internal static partial class AuditLog
{
    public const string Category = "LxAnnotate.Audit";

    public static void CenterResolved(ILogger logger, IngestRequest request, CenterDecision decision)
    {
        if (logger.IsEnabled(LogLevel.Information))
        {
            LogCenterResolved(logger, request.Boundary.ToWire(), request.Caller.Kind.ToString(), request.Caller.Subject,
                request.DeclaredCenterKey, decision.CenterKey, decision.UsedFallback);
        }
    }

    public static void Rejected(ILogger logger, IngestRequest request, IngestRejectionReason reason, string detail)
    {
        if (logger.IsEnabled(LogLevel.Warning))
        {
            LogRejected(logger, request.Boundary.ToWire(), request.Caller.Kind.ToString(), request.Caller.Subject,
                request.DeclaredCenterKey, reason.ToString(), detail);
        }
    }

    /// <summary>
    /// Logs a refusal and returns the exception that carries it to the boundary; every refusal of the
    /// ingest core goes through here, so none escapes the audit.
    /// </summary>
    public static IngestRejectedException Reject(ILogger logger, IngestRequest request, IngestRejectionReason reason, string message)
    {
        Rejected(logger, request, reason, message);
        return new IngestRejectedException(reason, message);
    }

    /// <summary>
    /// The refusal of an artifact whose idempotency key <paramref name="job"/> already holds with other content;
    /// the message names the key and never the stored content.
    /// </summary>
    public static IngestRejectedException KeyConflict(ILogger logger, IngestRequest request, UploadJob job) =>
        Reject(logger, request, IngestRejectionReason.IdempotencyConflict,
            $"The idempotency key '{request.IdempotencyKey}' is already used by upload job {job.Id} and the content differs "
            + "(SHA-256 or size); nothing was stored. Send other content with a new key.");

    public static void JobCreated(ILogger logger, UploadJob job, string centerKey)
    {
        if (logger.IsEnabled(LogLevel.Information))
        {
            LogJobCreated(logger, job.Id, centerKey, job.IngestMode.ToWire(), job.ContentType, job.ContentHash, job.SizeBytes);
        }
    }

    public static void JobReused(ILogger logger, UploadJob job, string centerKey, IngestMode boundary, string matchedBy)
    {
        if (logger.IsEnabled(LogLevel.Information))
        {
            LogJobReused(logger, job.Id, centerKey, boundary.ToWire(), matchedBy);
        }
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information,
        Message = "audit center_resolved boundary={Boundary} caller={CallerKind}:{Caller} declared={DeclaredCenter} resolved={CenterKey} fallback={UsedFallback}")]
    private static partial void LogCenterResolved(ILogger logger, string boundary, string callerKind, string? caller, string? declaredCenter, string? centerKey, bool usedFallback);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning,
        Message = "audit ingest_rejected boundary={Boundary} caller={CallerKind}:{Caller} declared={DeclaredCenter} reason={Reason} detail={Detail}")]
    private static partial void LogRejected(ILogger logger, string boundary, string callerKind, string? caller, string? declaredCenter, string reason, string detail);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information,
        Message = "audit job_created job={JobId} center={CenterKey} boundary={Boundary} content_type={ContentType} sha256={ContentHash} size={SizeBytes}")]
    private static partial void LogJobCreated(ILogger logger, Guid jobId, string centerKey, string boundary, string contentType, string contentHash, long sizeBytes);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Information,
        Message = "audit job_reused job={JobId} center={CenterKey} boundary={Boundary} matched_by={MatchedBy}")]
    private static partial void LogJobReused(ILogger logger, Guid jobId, string centerKey, string boundary, string matchedBy);
}
