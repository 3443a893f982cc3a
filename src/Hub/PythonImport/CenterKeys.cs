using System.Globalization;
using System.Text;

namespace LxAnnotate.Hub.PythonImport;

/// <summary>
/// The <c>center_key</c> an imported center gets: the original has only a name (free text), our key is
/// <c>[a-z0-9_-]{1,64}</c>. Accents are dropped, other characters become '-'. The name itself is kept unchanged as the
/// center's name, because the original's patient hashes are computed over it.
/// </summary>
internal static class CenterKeys
{
    public const int MaxLength = 64;

    public static string FromName(string name, long sourceId)
    {
        ArgumentNullException.ThrowIfNull(name);
        var builder = new StringBuilder(name.Length);
        foreach (var c in Transliterate(name).Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            var lower = char.ToLowerInvariant(c);
            var allowed = lower is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '-';
            if (allowed)
            {
                builder.Append(lower);
            }
            else if (builder.Length > 0 && builder[^1] != '-')
            {
                builder.Append('-');
            }
        }

        var key = builder.ToString().Trim('-');
        if (key.Length > MaxLength)
        {
            key = key[..MaxLength].TrimEnd('-');
        }

        return key.Length > 0 ? key : Fallback(sourceId);
    }

    /// <summary>The key when the derived one is taken by another center: suffixed with the original's id.</summary>
    public static string WithSourceId(string key, long sourceId)
    {
        var suffix = string.Create(CultureInfo.InvariantCulture, $"-{sourceId}");
        return (key.Length + suffix.Length > MaxLength ? key[..(MaxLength - suffix.Length)] : key) + suffix;
    }

    /// <summary>German letters as they are written without them (the hub runs without ICU, so FormD alone does not strip them).</summary>
    private static string Transliterate(string name) => name
        .Replace("ä", "ae", StringComparison.Ordinal).Replace("ö", "oe", StringComparison.Ordinal).Replace("ü", "ue", StringComparison.Ordinal)
        .Replace("Ä", "ae", StringComparison.Ordinal).Replace("Ö", "oe", StringComparison.Ordinal).Replace("Ü", "ue", StringComparison.Ordinal)
        .Replace("ß", "ss", StringComparison.Ordinal);

    private static string Fallback(long sourceId) => string.Create(CultureInfo.InvariantCulture, $"center-{sourceId}");
}
