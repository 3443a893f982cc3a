namespace LxAnnotate.Hub.Domain;

/// <summary>
/// A one-time credential with which a node obtains its first certificate. Only the SHA-256 of the token is
/// kept: a copy of the database cannot enroll anything. Used once (<see cref="UsedAt"/>), and only before
/// <see cref="ExpiresAt"/>.
/// </summary>
public sealed class EnrollmentToken
{
    public long Id { get; set; }

    public long NodeId { get; set; }

    public NetworkNode? Node { get; set; }

    /// <summary>Lower-case hex SHA-256 of the token's text.</summary>
    public required string TokenHash { get; init; }

    public DateTimeOffset ExpiresAt { get; init; }

    public DateTimeOffset? UsedAt { get; set; }

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>The operator who made the token (audit actor).</summary>
    public required string CreatedBy { get; init; }
}
