namespace LxAnnotate.Hub.ProtectedMedia;

/// <summary>A job's stored artifact as the media endpoint needs it.</summary>
/// <param name="JobId">The UploadJob.</param>
/// <param name="ContentType">Media type recorded at ingest.</param>
/// <param name="StoragePath">Path relative to <c>STORAGE_DIR</c>.</param>
/// <param name="StorageClass">How the file is stored (<c>managed</c>: plaintext; <c>encrypted</c>: LXENC01).</param>
/// <param name="SizeBytes">Plaintext size recorded at ingest.</param>
internal sealed record MediaItem(Guid JobId, string ContentType, string StoragePath, string StorageClass, long SizeBytes);
