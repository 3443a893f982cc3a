using System.Text.Json.Serialization;

namespace LxAnnotate.Hub.Upload;

/// <summary>
/// A refusal the original API answers through Django REST framework's exception handler rather than its own
/// body: <c>{"detail": "…"}</c>. It is the shape of an unauthenticated request (403) and of an unknown job (404).
/// </summary>
internal sealed record UploadDetailResponse([property: JsonPropertyName("detail")] string Detail);
