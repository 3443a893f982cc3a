namespace LxAnnotate.Hub.Processing.Pipeline;

/// <summary>A file the pipeline wrote for a job; becomes a <c>processed_artifact</c> row when the job completes.</summary>
/// <param name="Kind"><c>report_text</c>, <c>anonymized_text</c>, <c>anonymized_pdf</c> or <c>masked_video</c>.</param>
/// <param name="StorageClass"><c>encrypted</c> (LXENC01) or <c>managed</c> (plaintext).</param>
/// <param name="RelativePath">Relative to <c>STORAGE_DIR</c>.</param>
/// <param name="SizeBytes">Plaintext size.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the plaintext.</param>
internal sealed record ProducedArtifact(string Kind, string StorageClass, string RelativePath, long SizeBytes, string Sha256);
