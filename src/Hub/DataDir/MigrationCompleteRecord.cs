using System.Text.Json.Serialization;

namespace LxAnnotate.Hub.DataDir;

/// <summary>Contents of <c>&lt;target&gt;/.migration-complete</c>, written when a full migration has been verified.</summary>
internal sealed record MigrationCompleteRecord(
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("backup")] string Backup,
    [property: JsonPropertyName("completed_at")] DateTimeOffset CompletedAt,
    [property: JsonPropertyName("file_count")] int FileCount,
    [property: JsonPropertyName("bytes")] long Bytes);
