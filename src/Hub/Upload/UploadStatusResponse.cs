using System.Text.Json.Serialization;

namespace LxAnnotate.Hub.Upload;

/// <summary>Answer of <c>GET /api/upload/{id}/status/</c>; the error fields appear only for <c>error</c>/<c>lost</c> jobs,
/// <c>sensitive_meta_id</c> only for <c>anonymized</c> jobs with stored sensitive metadata.</summary>
internal sealed record UploadStatusResponse(
    [property: JsonPropertyName("id")] Guid Id,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("source_center_key")] string SourceCenterKey,
    [property: JsonPropertyName("source_system")] string SourceSystem,
    [property: JsonPropertyName("ingest_mode")] string IngestMode,
    [property: JsonPropertyName("error_code"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ErrorCode,
    [property: JsonPropertyName("error_detail"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ErrorDetail,
    [property: JsonPropertyName("sensitive_meta_id"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? SensitiveMetaId = null);
