namespace LxAnnotate.Hub.NodeHealth;

/// <summary>A node's heartbeat as the hub accepts it: checked by <see cref="NodeHeartbeatRules"/>, free of any text a node could smuggle in.</summary>
internal sealed record NodeHeartbeat(
    DateTimeOffset SentAt,
    long OutboxQueued,
    long OutboxOffered,
    long OutboxUploading,
    long OutboxDone,
    long OutboxFailed,
    long OldestPendingAgeSeconds,
    string? LastErrorClass,
    long QuarantineCount,
    string? Version);
