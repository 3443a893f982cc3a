namespace LxAnnotate.Node.Quarantine;

/// <summary>Contents of <c>&lt;name&gt;.reason.json</c> beside a quarantined file.</summary>
internal sealed record QuarantineReason(string File, string What, string Why, DateTimeOffset When, string Boundary);
