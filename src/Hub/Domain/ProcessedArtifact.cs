namespace LxAnnotate.Hub.Domain;

/// <summary>
/// A file the processing worker produced for a job (report text, anonymized text, anonymized PDF, masked video).
/// The row names the file and its class; the content lives under <c>STORAGE_DIR</c>, never in the database.
/// </summary>
public sealed class ProcessedArtifact
{
    public long Id { get; set; }

    public Guid UploadJobId { get; init; }

    /// <summary><c>report_text</c>, <c>anonymized_text</c>, <c>anonymized_pdf</c> or <c>masked_video</c>.</summary>
    public required string Kind { get; init; }

    /// <summary><c>encrypted</c> (an LXENC01 file) or <c>managed</c> (plaintext on the operator's encrypted filesystem).</summary>
    public required string StorageClass { get; init; }

    /// <summary>Path relative to <c>STORAGE_DIR</c>.</summary>
    public required string RelativePath { get; init; }

    /// <summary>Plaintext size in bytes.</summary>
    public long SizeBytes { get; init; }

    /// <summary>Lower-case hex SHA-256 of the plaintext.</summary>
    public required string Sha256 { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
}
