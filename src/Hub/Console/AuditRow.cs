namespace LxAnnotate.Hub.OperatorConsole;

/// <summary>One audit event as the audit page lists it (details are keys, names, thumbprints and reasons; never secrets).</summary>
internal sealed record AuditRow(long Id, DateTimeOffset OccurredAt, string Actor, string Action, string Target, string Details);
