using System.Text.Json;

namespace LxAnnotate.Hub.PythonEraTransfers;

/// <summary>Reads the top-level fields of a create payload, adding a field error for each one of the wrong shape.</summary>
internal sealed class HubTransferPayloadFieldReader(JsonElement body, HubTransferValidationErrors errors)
{
    /// <summary>A non-empty printable string of at most <paramref name="maxLength"/> characters, or null (absent, JSON null or refused).</summary>
    public string? Text(string field, bool required, int maxLength)
    {
        if (!Present(field, required, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String || value.GetString() is not { Length: > 0 } text)
        {
            errors.Add(field, "invalid_field", "This field must be a non-empty string.");
            return null;
        }

        if (text.Length > maxLength || text.Any(char.IsControl))
        {
            errors.Add(field, "invalid_field", $"This field must be at most {maxLength} printable characters.");
            return null;
        }

        return text;
    }

    /// <summary>A JSON object, or null (absent, JSON null or refused).</summary>
    public JsonElement? Object(string field, bool required)
    {
        if (!Present(field, required, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add(field, "invalid_field", "This field must be a JSON object.");
            return null;
        }

        return value;
    }

    /// <summary>Whether the field has a non-null value; a missing required field is an error.</summary>
    private bool Present(string field, bool required, out JsonElement value)
    {
        if (body.TryGetProperty(field, out value) && value.ValueKind != JsonValueKind.Null)
        {
            return true;
        }

        if (required)
        {
            errors.Add(field, "missing_field", "This field is required.");
        }

        return false;
    }
}
