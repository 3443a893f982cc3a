using System.Globalization;

namespace LxAnnotate.Node.SapImport;

/// <summary>Conversion of raw table cells, as the SAP IS-H export writes them.</summary>
internal static class CellValues
{
    private static readonly string[] TimestampFormats =
    [
        "yyyy-MM-dd HH:mm:ss.FFFFFFF",
        "yyyy-MM-dd HH:mm:ss",
        "yyyy-MM-dd HH:mm",
        "dd.MM.yyyy HH:mm:ss",
        "dd.MM.yyyy HH:mm",
        "yyyy-MM-dd",
        "dd.MM.yyyy",
    ];

    /// <summary>Trimmed text; empty is null.</summary>
    public static string? Text(string? raw)
    {
        var trimmed = raw?.Trim();
        return string.IsNullOrEmpty(trimmed) ? null : trimmed;
    }

    /// <summary>A local timestamp (no zone in the export); <c>T</c> or a space between date and time; unparseable is null.</summary>
    public static DateTime? Timestamp(string? raw)
    {
        var text = Text(raw);
        if (text is null)
        {
            return null;
        }

        text = text.Replace('T', ' ');
        if (text.Length > 20 && text[19] == '.')
        {
            // More than seven fractional digits cannot be parsed by .NET; the extra precision is below a tick.
            var end = 20;
            while (end < text.Length && char.IsAsciiDigit(text[end]))
            {
                end++;
            }

            if (end == text.Length && end - 20 > 7)
            {
                text = text[..27];
            }
        }

        return DateTime.TryParseExact(text, TimestampFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed)
            ? parsed
            : null;
    }

    public static bool? Boolean(string? raw) => Text(raw)?.ToLowerInvariant() switch
    {
        "1" or "true" or "yes" or "y" or "ja" => true,
        "0" or "false" or "no" or "n" or "nein" => false,
        _ => null,
    };

    public static int? Integer(string? raw) =>
        int.TryParse(Text(raw), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary>Gender as the preanonymized contract spells it; anything else is null.</summary>
    public static string? Gender(string? raw) => Text(raw)?.ToLowerInvariant() switch
    {
        "m" or "männlich" or "maennlich" => "male",
        "w" or "f" or "weiblich" => "female",
        "d" or "divers" => "other",
        "u" or "unbekannt" => "unknown",
        _ => null,
    };

    public static object? Convert(string? raw, ColumnType type) => type switch
    {
        ColumnType.Timestamp => Timestamp(raw),
        ColumnType.Boolean => Boolean(raw),
        ColumnType.Integer => Integer(raw),
        _ => Text(raw),
    };
}
