namespace LxAnnotate.Hub.Domain;

/// <summary>A client certificate a node authenticates with; identified by its SHA-256 thumbprint.</summary>
public sealed class NodeCertificate
{
    public long Id { get; set; }

    public long NodeId { get; set; }

    public NetworkNode? Node { get; set; }

    /// <summary>Upper-case hex SHA-256 of the DER certificate.</summary>
    public required string ThumbprintSha256 { get; init; }

    public required string SerialNumber { get; init; }

    public required string Subject { get; init; }

    public DateTimeOffset NotBefore { get; init; }

    public DateTimeOffset NotAfter { get; init; }

    public NodeCertificateStatus Status { get; set; } = NodeCertificateStatus.Active;

    public DateTimeOffset? RevokedAt { get; set; }

    public string? RevocationReason { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
