using System.Text.Json.Serialization;

namespace LxAnnotate.Hub.Upload;

/// <summary>Answer of <c>POST /api/upload/</c> (201 new job, 200 existing job reused).</summary>
internal sealed record UploadAcceptedResponse(
    [property: JsonPropertyName("upload_id")] Guid UploadId,
    [property: JsonPropertyName("status_url")] string StatusUrl,
    [property: JsonPropertyName("message")] string Message);
