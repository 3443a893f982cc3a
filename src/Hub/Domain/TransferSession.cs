namespace LxAnnotate.Hub.Domain;

/// <summary>
/// A resumable transfer of one artifact. Its state lives in the database, so any hub replica can
/// continue it; the partial bytes live in <c>STORAGE_DIR/incoming/&lt;id&gt;.part</c>.
/// </summary>
public sealed class TransferSession
{
    public Guid Id { get; init; }

    public TransferState State { get; set; } = TransferState.Open;

    /// <summary>Key of the sending node; null for the trusted local drop zone.</summary>
    public string? SenderNodeKey { get; init; }

    public long CenterId { get; init; }

    public IngestMode IngestMode { get; init; }

    /// <summary>
    /// Lower-case hex SHA-256 the sender declared; null for a transfer offered without it until the bytes are
    /// complete and the Upload trailer brought it (or a later offer with it resumed the transfer).
    /// </summary>
    public string? Sha256 { get; set; }

    public long SizeBytes { get; init; }

    public required string ContentType { get; init; }

    public string? OriginalFilename { get; init; }

    public required string SourceSystem { get; init; }

    public string? IdempotencyKey { get; init; }

    public string? DeclaredCenterKey { get; init; }

    /// <summary>Sender hints as a JSON object (already validated against the provenance schema).</summary>
    public string? ProvenanceHintsJson { get; init; }

    /// <summary>Bytes that are on disk and fsynced: the offset an Upload must resume at.</summary>
    public long ReceivedBytes { get; set; }

    public Guid? UploadJobId { get; set; }

    public string? Error { get; set; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; set; }
}
