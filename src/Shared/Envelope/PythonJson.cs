using System.Globalization;
using System.Text;
using System.Text.Json;

namespace LxAnnotate.Shared.Envelope;

/// <summary>
/// JSON exactly as Python's <c>json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True)</c>
/// writes it: the byte-for-byte form the envelope's AAD and fingerprint are computed over, so a Python
/// sender and this hub derive the same bytes. Keys are sorted by code point (ordinal for the ASCII keys
/// the contracts use).
/// </summary>
public static class PythonJson
{
    /// <summary>Canonical text of an object whose values are strings, integers or nested canonical values.</summary>
    public static string Serialize(IEnumerable<KeyValuePair<string, object>> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var builder = new StringBuilder();
        WriteObject(builder, fields);
        return builder.ToString();
    }

    /// <summary>Canonical text of any JSON value (objects sorted recursively; numbers kept as written).</summary>
    public static string Serialize(JsonElement element)
    {
        var builder = new StringBuilder();
        Write(builder, element);
        return builder.ToString();
    }

    private static void WriteObject(StringBuilder builder, IEnumerable<KeyValuePair<string, object>> fields)
    {
        builder.Append('{');
        var first = true;
        foreach (var (key, value) in fields.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            if (!first)
            {
                builder.Append(',');
            }

            first = false;
            WriteString(builder, key);
            builder.Append(':');
            switch (value)
            {
                case string text:
                    WriteString(builder, text);
                    break;
                case long number:
                    builder.Append(number.ToString(CultureInfo.InvariantCulture));
                    break;
                case int number:
                    builder.Append(number.ToString(CultureInfo.InvariantCulture));
                    break;
                case bool flag:
                    builder.Append(flag ? "true" : "false");
                    break;
                case JsonElement element:
                    Write(builder, element);
                    break;
                case null:
                    builder.Append("null");
                    break;
                default:
                    throw new ArgumentException($"Unsupported value type {value.GetType().Name} for key '{key}'.", nameof(fields));
            }
        }

        builder.Append('}');
    }

    private static void Write(StringBuilder builder, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                WriteObject(builder, element.EnumerateObject().Select(p => new KeyValuePair<string, object>(p.Name, p.Value)));
                break;
            case JsonValueKind.Array:
                builder.Append('[');
                var first = true;
                foreach (var item in element.EnumerateArray())
                {
                    if (!first)
                    {
                        builder.Append(',');
                    }

                    first = false;
                    Write(builder, item);
                }

                builder.Append(']');
                break;
            case JsonValueKind.String:
                WriteString(builder, element.GetString()!);
                break;
            case JsonValueKind.Number:
                builder.Append(element.GetRawText());
                break;
            case JsonValueKind.True:
                builder.Append("true");
                break;
            case JsonValueKind.False:
                builder.Append("false");
                break;
            default:
                builder.Append("null");
                break;
        }
    }

    private static void WriteString(StringBuilder builder, string value)
    {
        builder.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"':
                    builder.Append("\\\"");
                    break;
                case '\\':
                    builder.Append("\\\\");
                    break;
                case '\n':
                    builder.Append("\\n");
                    break;
                case '\r':
                    builder.Append("\\r");
                    break;
                case '\t':
                    builder.Append("\\t");
                    break;
                case '\b':
                    builder.Append("\\b");
                    break;
                case '\f':
                    builder.Append("\\f");
                    break;
                default:
                    if (c < 0x20 || c > 0x7E)
                    {
                        // Python escapes every non-ASCII UTF-16 unit (surrogates as pairs), lower-case hex.
                        builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        builder.Append('"');
    }
}
