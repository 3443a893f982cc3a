using Microsoft.Extensions.Logging;

namespace LxAnnotate.Shared.Ingest;

/// <summary>
/// Audit events of the ingest core, under the <c>LxAnnotate.Audit</c> category so operators can route
/// them apart. Fields are keys, hashes and identities only: never file contents, secrets or patient data.
/// </summary>
internal static partial class AuditLog
{
    public const string Category = "LxAnnotate.Audit";

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information,
        Message = "audit center_resolved boundary={Boundary} caller={CallerKind}:{Caller} declared={DeclaredCenter} resolved={CenterKey} fallback={UsedFallback}")]
    public static partial void CenterResolved(ILogger logger, string boundary, string callerKind, string? caller, string? declaredCenter, string centerKey, bool usedFallback);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning,
        Message = "audit ingest_rejected boundary={Boundary} caller={CallerKind}:{Caller} declared={DeclaredCenter} reason={Reason} detail={Detail}")]
    public static partial void Rejected(ILogger logger, string boundary, string callerKind, string? caller, string? declaredCenter, string reason, string detail);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information,
        Message = "audit job_created job={JobId} center={CenterKey} boundary={Boundary} content_type={ContentType} sha256={ContentHash} size={SizeBytes}")]
    public static partial void JobCreated(ILogger logger, Guid jobId, string centerKey, string boundary, string contentType, string contentHash, long sizeBytes);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Information,
        Message = "audit job_reused job={JobId} center={CenterKey} boundary={Boundary} matched_by={MatchedBy}")]
    public static partial void JobReused(ILogger logger, Guid jobId, string centerKey, string boundary, string matchedBy);
}
