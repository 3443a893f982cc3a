using System.Text.Json;

namespace LxAnnotate.EndToEnd.Tests.Support;

/// <summary>What the Python sender got back: HTTP status and JSON body.</summary>
internal sealed record SenderResult(int Status, JsonElement Body)
{
    public string? Text(string property) => Body.ValueKind == JsonValueKind.Object && Body.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
