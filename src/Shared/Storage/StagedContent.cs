namespace LxAnnotate.Shared.Storage;

/// <summary>Bytes written, hashed and made durable under <c>STORAGE_DIR/incoming</c>, not yet in place.</summary>
/// <param name="Path">Absolute path of the staged file.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the file.</param>
/// <param name="SizeBytes">Length of the file.</param>
public sealed record StagedContent(string Path, string Sha256, long SizeBytes);
