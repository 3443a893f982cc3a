using System.Text.Json.Serialization;

namespace LxAnnotate.Hub.Upload;

/// <summary>Every refusal of the REST gateway: <c>{"error": "…"}</c>, as the original API answers.</summary>
internal sealed record UploadErrorResponse([property: JsonPropertyName("error")] string Error);
