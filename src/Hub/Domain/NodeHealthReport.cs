namespace LxAnnotate.Hub.Domain;

/// <summary>
/// The latest state a node reported with its heartbeat: one row per node, replaced by each heartbeat. Holds counts,
/// ages and classes only, never a file name or an error message.
/// </summary>
public sealed class NodeHealthReport
{
    /// <summary>The node; also the key, so a node has at most one row.</summary>
    public long NodeId { get; set; }

    public NetworkNode? Node { get; set; }

    /// <summary>The hub's clock when the heartbeat arrived: "last seen".</summary>
    public DateTimeOffset ReceivedAt { get; set; }

    /// <summary>The node's clock when it sent the heartbeat.</summary>
    public DateTimeOffset SentAt { get; set; }

    /// <summary><see cref="SentAt"/> minus <see cref="ReceivedAt"/> in milliseconds: positive when the node's clock is ahead.</summary>
    public long ClockOffsetMs { get; set; }

    public long OutboxQueued { get; set; }

    public long OutboxOffered { get; set; }

    public long OutboxUploading { get; set; }

    public long OutboxDone { get; set; }

    public long OutboxFailed { get; set; }

    /// <summary>Age of the oldest item still waiting for the hub; 0 when none waits.</summary>
    public long OldestPendingAgeSeconds { get; set; }

    /// <summary>Class of the most recent send error (a gRPC status code name, <c>connection_lost</c>, <c>other</c>); null for none.</summary>
    public string? LastErrorClass { get; set; }

    public long QuarantineCount { get; set; }

    /// <summary>The node's software version as it reported it.</summary>
    public string? NodeVersion { get; set; }

    /// <summary>Thumbprint of the certificate the heartbeat came with.</summary>
    public required string CertificateThumbprint { get; set; }
}
