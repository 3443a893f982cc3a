using System.Globalization;
using System.Text;

namespace LxAnnotate.Hub.PythonImport;

/// <summary>
/// The <c>center_key</c> an imported center gets where the original has none (0.7) or one that is not valid here: the
/// original's name is free text, our key is
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
        foreach (var c in Transliterate(name.ToLowerInvariant()))
        {
            if (c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '-')
            {
                builder.Append(c);
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

    /// <summary>Whether <paramref name="key"/> is a center key here as it is: <c>[a-z0-9_-]{1,64}</c>.</summary>
    public static bool IsValid(string key) =>
        key.Length is > 0 and <= MaxLength && key.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '-');

    /// <summary>The key when the derived one is taken by another center: suffixed with the original's id.</summary>
    public static string WithSourceId(string key, long sourceId)
    {
        var suffix = string.Create(CultureInfo.InvariantCulture, $"-{sourceId}");
        return (key.Length + suffix.Length > MaxLength ? key[..(MaxLength - suffix.Length)] : key) + suffix;
    }

    /// <summary>
    /// Latin letters with accents as they are written without them (German umlauts as ae/oe/ue). The hub runs without
    /// ICU (invariant globalization), so Unicode decomposition cannot strip the marks.
    /// </summary>
    private static string Transliterate(string lower)
    {
        var builder = new StringBuilder(lower.Length);
        foreach (var c in lower)
        {
            builder.Append(c switch
            {
                'ä' => "ae",
                'ö' => "oe",
                'ü' => "ue",
                'ß' => "ss",
                'æ' => "ae",
                'œ' => "oe",
                'à' or 'á' or 'â' or 'ã' or 'å' or 'ā' or 'ą' => "a",
                'ç' or 'č' or 'ć' => "c",
                'è' or 'é' or 'ê' or 'ë' or 'ē' or 'ę' or 'ě' => "e",
                'ì' or 'í' or 'î' or 'ï' or 'ī' => "i",
                'ñ' or 'ń' or 'ň' => "n",
                'ò' or 'ó' or 'ô' or 'õ' or 'ø' or 'ō' => "o",
                'ù' or 'ú' or 'û' or 'ū' or 'ů' => "u",
                'ý' or 'ÿ' => "y",
                'š' or 'ś' => "s",
                'ž' or 'ź' or 'ż' => "z",
                'ł' => "l",
                'ř' => "r",
                _ => c.ToString(),
            });
        }

        return builder.ToString();
    }

    private static string Fallback(long sourceId) => string.Create(CultureInfo.InvariantCulture, $"center-{sourceId}");
}
