using System.Text;

namespace LxAnnotate.Hub.Processing.Ocr;

/// <summary>
/// Parses names as overlays and reports write them: <c>Last, First</c> and <c>First Last</c>, and cleans
/// a single name part read by OCR. Letters of any script (umlauts, ß, accents), hyphens, apostrophes and
/// inner spaces are kept; digits and other marks are dropped. Pure functions.
/// </summary>
internal static class NameParsing
{
    /// <summary>
    /// Parses a full name: with a comma it is <c>Last, First</c>, otherwise the last word is the last
    /// name and the words before it the first name. Returns null when no part has two letters.
    /// </summary>
    public static PersonName? ParseFullName(string text)
    {
        var comma = text.IndexOf(',', StringComparison.Ordinal);
        if (comma >= 0)
        {
            var last = CleanPart(text[..comma]);
            var first = CleanPart(text[(comma + 1)..]);
            return last is null && first is null ? null : new PersonName(first, last);
        }
        var cleaned = CleanPart(text);
        if (cleaned is null)
        {
            return null;
        }
        var space = cleaned.LastIndexOf(' ');
        return space < 0
            ? new PersonName(null, cleaned)
            : new PersonName(cleaned[..space], cleaned[(space + 1)..]);
    }

    // The process runs with invariant globalization, where string.Normalize does not compose; OCR and
    // PDF text can carry a base letter plus a combining mark, so the marks of German and common
    // Western European names are composed here.
    private static readonly Dictionary<(char Base, char Mark), char> Compositions = BuildCompositions();

    private static Dictionary<(char Base, char Mark), char> BuildCompositions()
    {
        var table = new Dictionary<(char, char), char>();
        void Add(char mark, string pairs)
        {
            for (var i = 0; i + 1 < pairs.Length; i += 2)
            {
                table[(pairs[i + 1], mark)] = pairs[i];
            }
        }
        Add('\u0308', "äaÄAëeËEïiÏIöoÖOüuÜUÿy");
        Add('\u0301', "áaÁAéeÉEíiÍIóoÓOúuÚUýyÝY");
        Add('\u0300', "àaÀAèeÈEìiÌIòoÒOùuÙU");
        Add('\u0302', "âaÂAêeÊEîiÎIôoÔOûuÛU");
        Add('\u0327', "çcÇC");
        Add('\u0303', "ñnÑNãaÃAõoÕO");
        return table;
    }

    private static char? Compose(char previous, char mark) =>
        Compositions.TryGetValue((previous, mark), out var composed) ? composed : null;

    /// <summary>Cleans one name part (first or last name); null when fewer than two letters remain.</summary>
    public static string? CleanPart(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (builder.Length > 0 && Compose(builder[^1], c) is { } composed)
            {
                builder[^1] = composed;
            }
            else if (char.IsLetter(c) || c is '-' or '\'' or '’')
            {
                builder.Append(c == '’' ? '\'' : c);
            }
            else if (char.IsWhiteSpace(c) && builder.Length > 0 && builder[^1] != ' ')
            {
                builder.Append(' ');
            }
        }
        var result = builder.ToString().Trim(' ', '-', '\'');
        // A lone letter at either end is OCR noise from a box edge, not part of a name.
        var words = result.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        while (words.Count > 1 && words[^1].Length == 1)
        {
            words.RemoveAt(words.Count - 1);
        }
        while (words.Count > 1 && words[0].Length == 1)
        {
            words.RemoveAt(0);
        }
        result = string.Join(' ', words);
        return result.Count(char.IsLetter) >= 2 ? result : null;
    }
}
