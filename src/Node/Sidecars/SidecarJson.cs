using System.Collections;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace LxAnnotate.Node.Sidecars;

/// <summary>
/// Writes sidecar and manifest JSON: keys sorted (ordinal), two-space indent, and keys whose value is
/// null, an empty string, an empty object or an empty list left out, at every depth.
/// </summary>
internal static class SidecarJson
{
    private static readonly JsonWriterOptions Options = new()
    {
        Indented = true,
        IndentSize = 2,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static byte[] Serialize(IDictionary<string, object?> root)
    {
        using var buffer = new MemoryStream();
        Write(buffer, root);
        return buffer.ToArray();
    }

    /// <summary>Writes straight to <paramref name="stream"/>; lists may be lazy, so a large manifest is never held whole.</summary>
    public static void Write(Stream stream, IDictionary<string, object?> root)
    {
        using var writer = new Utf8JsonWriter(stream, Options);
        WriteValue(writer, root);
    }

    private static bool IsEmpty(object? value) => value switch
    {
        null => true,
        string s => s.Length == 0,
        IDictionary d => d.Count == 0,
        ICollection c => c.Count == 0,
        _ => false,
    };

    private static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string s:
                writer.WriteStringValue(s);
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case int i:
                writer.WriteNumberValue(i);
                break;
            case long l:
                writer.WriteNumberValue(l);
                break;
            case DateTimeOffset at:
                writer.WriteStringValue(at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
                break;
            case IDictionary<string, object?> map:
                writer.WriteStartObject();
                foreach (var (key, item) in map.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    if (!IsEmpty(item))
                    {
                        writer.WritePropertyName(key);
                        WriteValue(writer, item);
                    }
                }

                writer.WriteEndObject();
                break;
            case IEnumerable list:
                writer.WriteStartArray();
                foreach (var item in list)
                {
                    WriteValue(writer, item);
                    if (writer.BytesPending > 64 * 1024)
                    {
                        writer.Flush();
                    }
                }

                writer.WriteEndArray();
                break;
            default:
                throw new InvalidOperationException($"Unsupported JSON value type {value.GetType().Name}.");
        }
    }
}
