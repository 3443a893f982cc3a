namespace LxAnnotate.Shared.Storage;

/// <summary>Bytes written and hashed under <c>STORAGE_DIR/incoming</c>, not yet in place.</summary>
/// <param name="Path">Absolute path of the staged file.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the file.</param>
/// <param name="SizeBytes">Length of the file.</param>
/// <param name="Durable">
/// True when the bytes were fsynced. A boundary that stages without fsync (REST) leaves it to the ingest core,
/// which fsyncs them before they are committed, or encrypts them into a new, fsynced file and drops them.
/// </param>
public sealed record StagedContent(string Path, string Sha256, long SizeBytes, bool Durable = true);
