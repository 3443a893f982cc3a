using System.Text.Json;

namespace LxAnnotate.Node.PythonEraHub;

/// <summary>One answer of the Python-era hub: its status code and JSON body (an empty object when it sent none).</summary>
internal sealed record PythonEraHubResponse(int StatusCode, JsonElement Body)
{
    public string? Text(string name) =>
        Body.ValueKind == JsonValueKind.Object && Body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>The hub's reason for a refusal, short: <c>detail</c>, <c>error</c>, or the body itself.</summary>
    public string Reason()
    {
        var reason = Text("detail") ?? Text("error") ?? Body.GetRawText();
        var code = Text("rejection_code");
        var text = code is null ? reason : $"{reason} ({code})";
        return $"HTTP {StatusCode}: {(text.Length > 500 ? text[..500] : text)}";
    }
}
