using System.Text.Json;
using System.Text.Json.Serialization;

namespace LxAnnotate.Hub.Upload;

/// <summary>
/// Answer of <c>GET /api/upload/{id}/status/</c>: the fields of the original's <c>UploadJobStatusSerializer</c>, in
/// its order. <c>error_detail</c> appears only for <c>error</c>/<c>lost</c> jobs, <c>sensitive_meta_id</c> only for
/// <c>anonymized</c> jobs with stored sensitive metadata, and <c>text</c> / <c>anonymized_text</c> only when not
/// empty, as endoreg-db 1.0.x drops them. <c>report_llm_job</c> is always there and <c>null</c> where there is none
/// (the hub runs no report LLM jobs): issue #20 asks for it so; the original dropped it instead, and its own client
/// reads it as optional, so both forms work for it. <c>source_center_key</c> is <c>null</c> for a job without a
/// center (imported from the 0.7 line). <c>error_code</c> is ours, beside the original's.
/// </summary>
internal sealed record UploadStatusResponse(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("error_detail"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ErrorDetail,
    [property: JsonPropertyName("sensitive_meta_id"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? SensitiveMetaId,
    [property: JsonPropertyName("id")] Guid Id,
    [property: JsonPropertyName("source_center_key")] string? SourceCenterKey,
    [property: JsonPropertyName("source_system")] string SourceSystem,
    [property: JsonPropertyName("ingest_mode")] string IngestMode,
    [property: JsonPropertyName("error_code"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ErrorCode)
{
    [JsonPropertyName("text"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Text { get; init; }

    [JsonPropertyName("anonymized_text"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? AnonymizedText { get; init; }

    [JsonPropertyName("report_llm_job")]
    public JsonElement? ReportLlmJob { get; init; }
}
