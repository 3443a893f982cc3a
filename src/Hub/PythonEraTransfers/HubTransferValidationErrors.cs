using System.Text.Json.Nodes;

namespace LxAnnotate.Hub.PythonEraTransfers;

/// <summary>Field errors of a refused create, in the shape Django REST framework senders parse.</summary>
internal sealed class HubTransferValidationErrors
{
    private readonly Dictionary<string, List<string>> fields = new(StringComparer.Ordinal);

    public int Count => fields.Count;

    /// <summary>The code of the first problem: the most specific reason a sender can act on.</summary>
    public string? FirstCode { get; private set; }

    public void Add(string field, string code, string message)
    {
        FirstCode ??= code;
        if (!fields.TryGetValue(field, out var messages))
        {
            fields[field] = messages = [];
        }

        messages.Add(message);
    }

    /// <summary><c>{field: [messages], detail, rejection_code, rejection_phase, error_fields}</c>.</summary>
    public JsonObject ToJson()
    {
        var body = new JsonObject();
        foreach (var (field, messages) in fields)
        {
            body[field] = new JsonArray(messages.Select(m => (JsonNode)JsonValue.Create(m)!).ToArray());
        }

        body["detail"] = "The transfer payload is invalid.";
        body["rejection_code"] = FirstCode;
        body["rejection_phase"] = "create_validation";
        body["error_fields"] = new JsonArray(fields.Keys.Select(k => (JsonNode)JsonValue.Create(k)!).ToArray());
        return body;
    }
}
