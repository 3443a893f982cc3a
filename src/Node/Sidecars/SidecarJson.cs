using System.Collections;
using System.Globalization;
using System.Text;

namespace LxAnnotate.Node.Sidecars;

/// <summary>
/// Writes sidecar and manifest JSON byte for byte as the original writes them, Python's
/// <c>json.dumps(value, ensure_ascii=True, indent=2, sort_keys=True)</c>: keys sorted, two-space indent, <c>": "</c>
/// between key and value, every character outside printable ASCII escaped (<c>\n</c>, <c>\t</c>, … or
/// <c>\u00fc</c> in lower-case hex, a surrogate pair for characters beyond the BMP), no newline at the end. A sidecar
/// leaves out keys whose value is null, an empty string, an empty object or an empty list, at every depth; a
/// manifest keeps them (<paramref name="keepEmpty"/>), as the original's lists its keys even when null or empty.
/// </summary>
internal static class SidecarJson
{
    private const int FlushChars = 64 * 1024;

    public static byte[] Serialize(IDictionary<string, object?> root, bool keepEmpty = false)
    {
        using var buffer = new MemoryStream();
        Write(buffer, root, keepEmpty);
        return buffer.ToArray();
    }

    /// <summary>Writes straight to <paramref name="stream"/>; lists may be lazy, so a large manifest is never held whole.</summary>
    public static void Write(Stream stream, IDictionary<string, object?> root, bool keepEmpty = false)
    {
        // Everything written is ASCII (the escaping sees to it), so UTF-8 and ASCII are the same bytes here.
        using var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), FlushChars, leaveOpen: true);
        WriteValue(writer, root, 0, keepEmpty);
    }

    private static bool IsEmpty(object? value) => value switch
    {
        null => true,
        string s => s.Length == 0,
        IDictionary d => d.Count == 0,
        ICollection c => c.Count == 0,
        _ => false,
    };

    private static void WriteValue(StreamWriter writer, object? value, int depth, bool keepEmpty)
    {
        switch (value)
        {
            case null:
                writer.Write("null");
                break;
            case string s:
                WriteString(writer, s);
                break;
            case bool b:
                writer.Write(b ? "true" : "false");
                break;
            case int i:
                writer.Write(i.ToString(CultureInfo.InvariantCulture));
                break;
            case long l:
                writer.Write(l.ToString(CultureInfo.InvariantCulture));
                break;
            case DateTimeOffset at:
                WriteString(writer, IsoFormat(at));
                break;
            case IDictionary<string, object?> map:
                WriteObject(writer, map, depth, keepEmpty);
                break;
            case IEnumerable list:
                WriteArray(writer, list, depth, keepEmpty);
                break;
            default:
                throw new InvalidOperationException($"Unsupported JSON value type {value.GetType().Name}.");
        }
    }

    private static void WriteObject(StreamWriter writer, IDictionary<string, object?> map, int depth, bool keepEmpty)
    {
        var first = true;

        // Python sorts keys by code point; ordinal UTF-16 order is the same for every key these files hold.
        foreach (var (key, item) in map.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!keepEmpty && IsEmpty(item))
            {
                continue;
            }

            writer.Write(first ? "{\n" : ",\n");
            first = false;
            Indent(writer, depth + 1);
            WriteString(writer, key);
            writer.Write(": ");
            WriteValue(writer, item, depth + 1, keepEmpty);
        }

        if (first)
        {
            writer.Write("{}");
            return;
        }

        writer.Write('\n');
        Indent(writer, depth);
        writer.Write('}');
    }

    private static void WriteArray(StreamWriter writer, IEnumerable list, int depth, bool keepEmpty)
    {
        var first = true;
        foreach (var item in list)
        {
            writer.Write(first ? "[\n" : ",\n");
            first = false;
            Indent(writer, depth + 1);
            WriteValue(writer, item, depth + 1, keepEmpty);
        }

        if (first)
        {
            writer.Write("[]");
            return;
        }

        writer.Write('\n');
        Indent(writer, depth);
        writer.Write(']');
    }

    private static void Indent(StreamWriter writer, int depth)
    {
        for (var i = 0; i < depth; i++)
        {
            writer.Write("  ");
        }
    }

    /// <summary>Python's <c>ensure_ascii</c> escaping: <c>"</c> and <c>\</c>, the short control escapes, and <c>\uxxxx</c> (lower case) for everything else outside space..tilde.</summary>
    internal static void WriteString(TextWriter writer, string value)
    {
        writer.Write('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"':
                    writer.Write("\\\"");
                    break;
                case '\\':
                    writer.Write("\\\\");
                    break;
                case '\n':
                    writer.Write("\\n");
                    break;
                case '\r':
                    writer.Write("\\r");
                    break;
                case '\t':
                    writer.Write("\\t");
                    break;
                case '\b':
                    writer.Write("\\b");
                    break;
                case '\f':
                    writer.Write("\\f");
                    break;
                case >= ' ' and <= '~':
                    writer.Write(c);
                    break;
                default:
                    // A UTF-16 code unit is what Python writes too: characters beyond the BMP as their surrogate pair.
                    writer.Write("\\u");
                    writer.Write(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
            }
        }

        writer.Write('"');
    }

    /// <summary>Python's <c>datetime.isoformat()</c> of an aware UTC time: microseconds unless zero, <c>+00:00</c>.</summary>
    internal static string IsoFormat(DateTimeOffset at)
    {
        var utc = at.UtcDateTime;
        var micro = (utc.Ticks % TimeSpan.TicksPerSecond) / 10;
        return micro == 0
            ? utc.ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'", CultureInfo.InvariantCulture)
            : string.Create(CultureInfo.InvariantCulture, $"{utc:yyyy-MM-dd'T'HH:mm:ss}.{micro:D6}+00:00");
    }
}
