using System.Text.Json;

namespace LxAnnotate.Shared.Envelope;

/// <summary>
/// The fields of one envelope's JSON object for <see cref="MediaEnvelope.Parse"/>: exactly the twenty names, each
/// once, and accessors that refuse a wrong type or a non-canonical encoding with the field named.
/// </summary>
internal sealed class MediaEnvelopeFields
{
    private static readonly Dictionary<string, int> BinaryLengths = new(StringComparer.Ordinal)
    {
        ["ephemeral_public_key"] = 32,
        ["wrap_salt"] = 16,
        ["wrap_nonce"] = 12,
        ["wrapped_data_encryption_key"] = 48,
        ["payload_nonce"] = 12,
        ["payload_tag"] = 16,
    };

    private readonly Dictionary<string, JsonElement> values;

    private MediaEnvelopeFields(Dictionary<string, JsonElement> values) => this.values = values;

    /// <exception cref="EnvelopeException">Not an object, or a field is unknown, repeated or missing.</exception>
    public static MediaEnvelopeFields Collect(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Invalid("envelope_invalid_json", "The envelope metadata must be a JSON object.", "envelope");
        }

        var values = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in root.EnumerateObject())
        {
            if (!MediaEnvelope.FieldNames.Contains(property.Name))
            {
                throw Invalid("envelope_unknown_field", $"Unknown envelope field '{Printable(property.Name)}'.", "envelope");
            }

            if (!values.TryAdd(property.Name, property.Value))
            {
                throw Invalid("envelope_duplicate_field", $"Envelope field '{property.Name}' appears twice.", property.Name);
            }
        }

        foreach (var name in MediaEnvelope.FieldNames)
        {
            if (!values.ContainsKey(name))
            {
                throw Invalid("envelope_missing_field", $"Envelope field '{name}' is missing.", name);
            }
        }

        return new MediaEnvelopeFields(values);
    }

    /// <summary>A non-empty string of at most 512 characters without control characters.</summary>
    public string Text(string name)
    {
        var value = values[name];
        return value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 and <= 512 } text && !text.Any(char.IsControl)
            ? text
            : throw Invalid("envelope_invalid_field", $"Envelope field '{name}' must be a non-empty string.", name);
    }

    /// <summary>A JSON integer (no fraction, no exponent) greater than 0.</summary>
    public long PositiveInteger(string name)
    {
        var value = values[name];
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var number) || number <= 0 || value.GetRawText().Contains('.', StringComparison.Ordinal)
            || value.GetRawText().Contains('e', StringComparison.OrdinalIgnoreCase))
        {
            throw Invalid("envelope_invalid_field", $"{name} must be an integer greater than 0.", name);
        }

        return number;
    }

    /// <summary>Canonical unpadded base64url of exactly the field's length.</summary>
    public byte[] Binary(string name)
    {
        var bytes = Base64Url.TryDecodeCanonical(Text(name));
        if (bytes is null || bytes.Length != BinaryLengths[name])
        {
            throw Invalid("envelope_invalid_field", $"Envelope field '{name}' must be {BinaryLengths[name]} bytes as canonical unpadded base64url.", name);
        }

        return bytes;
    }

    public static EnvelopeException Invalid(string code, string message, string field) => new(code, "envelope_metadata", message, field);

    private static string Printable(string name) => name.Length > 64 || name.Any(c => c is < ' ' or > '~') ? "(unprintable)" : name;
}
