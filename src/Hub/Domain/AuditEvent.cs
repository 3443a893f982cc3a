namespace LxAnnotate.Hub.Domain;

/// <summary>
/// One change made by an operator (or, later, by the system), kept in the database next to what it
/// changed and written in the same transaction, so the record exists exactly when the change does.
/// Rows are only ever inserted.
/// </summary>
public sealed class AuditEvent
{
    public long Id { get; set; }

    public DateTimeOffset OccurredAt { get; init; }

    /// <summary>Who did it: an operator's login name for operator commands.</summary>
    public required string Actor { get; init; }

    /// <summary>What happened, snake_case (<c>center_added</c>, <c>node_certificate_revoked</c>, …).</summary>
    public required string Action { get; init; }

    /// <summary>What it happened to, as <c>kind:key</c> (<c>center:center-a</c>, <c>node:site-a</c>).</summary>
    public required string Target { get; init; }

    /// <summary>A JSON object with the values of the change: keys, names, thumbprints; never secrets.</summary>
    public required string Details { get; init; }
}
