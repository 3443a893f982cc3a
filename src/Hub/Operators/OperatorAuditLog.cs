using Microsoft.Extensions.Logging;

namespace LxAnnotate.Hub.Operators;

/// <summary>
/// The log side of an operator audit event, written after the database row is committed so a log
/// line never claims a change that was rolled back.
/// </summary>
internal static partial class OperatorAuditLog
{
    /// <summary>Same category as the ingest core's audit events, so operators route all audit lines alike.</summary>
    public const string Category = "LxAnnotate.Audit";

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information,
        Message = "audit {Action} actor={Actor} target={Target} details={Details}")]
    public static partial void OperatorAction(ILogger logger, string action, string actor, string target, string details);
}
