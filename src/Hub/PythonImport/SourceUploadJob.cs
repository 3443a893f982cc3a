namespace LxAnnotate.Hub.PythonImport;

/// <summary>
/// A row of the original's <c>endoreg_db_uploadjob</c>. On the 0.7 line the ingest columns do not exist and carry the
/// values the 1.0 line gives an API upload by default (empty hash and key, <c>api</c>, <c>ingest</c>, <c>upload_api</c>,
/// <c>preserve_source</c>).
/// </summary>
/// <param name="File">The stored file, relative to the original's storage root.</param>
internal sealed record SourceUploadJob(
    Guid Id,
    string File,
    string Status,
    string ContentType,
    string ErrorDetail,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    long? SensitiveMetaId,
    long? SourceCenterId,
    string SourceSystem,
    string ContentHash,
    string IdempotencyKey,
    string IngestMode,
    string OriginalFilename,
    string? Entrypoint,
    string StorageClass,
    string StorageTier,
    string RetentionPolicy);
