namespace LxAnnotate.Node.Outbox;

/// <summary>One artifact waiting for (or delivered to) the hub.</summary>
internal sealed record OutboxItem
{
    public required Guid Id { get; init; }

    public required string State { get; init; }

    /// <summary>The file inside the outbox folder.</summary>
    public required string StoredPath { get; init; }

    public string? SidecarPath { get; init; }

    /// <summary>
    /// The sidecar's fields for the hub's provenance, parsed once when the file was taken, so the sender never
    /// parses the sidecar again. Null without a sidecar, and for an item recorded before the outbox stored them.
    /// </summary>
    public IReadOnlyDictionary<string, string>? SidecarHints { get; init; }

    /// <summary>Where the file was dropped (for the repair after a crash while taking).</summary>
    public required string SourcePath { get; init; }

    public string? OriginalFilename { get; init; }

    public required string ContentType { get; init; }

    public required string Entrypoint { get; init; }

    public string? CenterKey { get; init; }

    public required string SourceSystem { get; init; }

    public required string Sha256 { get; init; }

    public long SizeBytes { get; init; }

    public int Attempts { get; init; }

    public DateTimeOffset NextAttemptAt { get; init; }

    public string? LastError { get; init; }

    public string? TransferId { get; init; }

    public string? UploadJobId { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }
}
