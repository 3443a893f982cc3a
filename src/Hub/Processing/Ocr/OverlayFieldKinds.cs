using System.Text.RegularExpressions;

namespace LxAnnotate.Hub.Processing.Ocr;

/// <summary>
/// Whether a value read from an overlay region looks like the kind of value that region holds. OCR of a picture
/// without text still yields strings ("po", "Rn BE"); a read that is not a name, a plausible date or an
/// endoscope designation is not a candidate. Pure functions.
/// </summary>
internal static partial class OverlayFieldKinds
{
    /// <summary>Longest name part kept (letters, spaces, hyphens, apostrophes).</summary>
    public const int MaxNameLength = 40;

    /// <summary>Earliest plausible date of birth.</summary>
    public static readonly DateOnly EarliestBirth = new(1900, 1, 1);

    /// <summary>Earliest plausible examination date (digital endoscopy overlays).</summary>
    public static readonly DateOnly EarliestExamination = new(1990, 1, 1);

    // Lower-case particles that may open a name word ("von Weizsäcker", "de la Cruz", "d'Alembert").
    private static readonly HashSet<string> Particles = new(StringComparer.Ordinal)
    {
        "von", "van", "vom", "zu", "zum", "zur", "der", "den", "de", "del", "della", "di", "da", "dos", "du", "la", "le", "ten", "ter", "y", "e", "al", "el", "bin", "ibn", "d",
    };

    /// <summary>
    /// A cleaned name part: 2…<see cref="MaxNameLength"/> characters of letters (umlauts, ß, accents), words
    /// joined by single spaces, hyphens or apostrophes, each word capitalised as names are written
    /// (<c>Müller</c>, <c>MÜLLER</c>, <c>McDonald</c>, <c>O'Brien</c>, <c>Groß-Öztürk</c>) or a lower-case particle.
    /// </summary>
    public static bool IsName(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length is < 2 or > MaxNameLength || !NameShape().IsMatch(value))
        {
            return false;
        }
        var segments = NameSeparators().Split(value);
        var capitalised = 0;
        foreach (var segment in segments)
        {
            if (char.IsUpper(segment[0]))
            {
                if (!CapitalisedWord().IsMatch(segment))
                {
                    return false;
                }
                capitalised++;
            }
            else if (!Particles.Contains(segment))
            {
                return false;
            }
        }
        return capitalised > 0;
    }

    /// <summary>
    /// The raw OCR line of a name region holds (almost) only what a name is made of: no digit, and at most one
    /// character that is neither a letter, white space nor <c>- ' ’ ,</c> (a box edge read as <c>|</c>). Digits and
    /// symbols mean the region shows something other than a name, or a name misread.
    /// </summary>
    public static bool IsNameLine(string raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var foreign = 0;
        foreach (var c in raw)
        {
            if (char.IsDigit(c))
            {
                return false;
            }
            if (!char.IsLetter(c) && !char.IsWhiteSpace(c) && c is not ('-' or '\'' or '’' or ',') && !IsCombiningMark(c))
            {
                foreign++;
            }
        }
        return foreign <= 1;
    }

    /// <summary>A date of birth between <see cref="EarliestBirth"/> and <paramref name="today"/>.</summary>
    public static bool IsBirthDate(DateOnly value, DateOnly today) => value >= EarliestBirth && value <= today;

    /// <summary>An examination date between <see cref="EarliestExamination"/> and the day after <paramref name="today"/> (clock skew).</summary>
    public static bool IsExaminationDate(DateOnly value, DateOnly today) => value >= EarliestExamination && value <= today.AddDays(1);

    /// <summary>
    /// An endoscope model as manufacturers print it: 4…24 characters, opening with 1…5 capital letters, at least
    /// two digits, otherwise letters, digits and <c>- / .</c> (<c>CF-HQ190L</c>, <c>GIF-1TH190</c>, <c>EG-2990i</c>,
    /// <c>EC-760ZP-V/L</c>).
    /// </summary>
    public static bool IsEndoscopeType(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Length is >= 4 and <= 24 && EndoscopeType().IsMatch(value) && value.Count(char.IsAsciiDigit) >= 2;
    }

    /// <summary>A serial number: 4…20 letters, digits or <c>-</c>, at least three of them digits, no spaces.</summary>
    public static bool IsEndoscopeSerial(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Length is >= 4 and <= 20 && EndoscopeSerial().IsMatch(value) && value.Count(char.IsAsciiDigit) >= 3;
    }

    private static bool IsCombiningMark(char c) => char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.NonSpacingMark;

    [GeneratedRegex(@"^\p{L}+(?:[ '\-]\p{L}+)*$")]
    private static partial Regex NameShape();

    [GeneratedRegex(@"[ '\-]")]
    private static partial Regex NameSeparators();

    // "Müller", "MÜLLER", "McDonald", "DeVries"; not "MüLLer" or "PoRnBE".
    [GeneratedRegex(@"^\p{Lu}(?:\p{Ll}+(?:\p{Lu}\p{Ll}+)?|\p{Lu}*)$")]
    private static partial Regex CapitalisedWord();

    [GeneratedRegex(@"^[A-Z]{1,5}[A-Za-z0-9\-/.]*$")]
    private static partial Regex EndoscopeType();

    [GeneratedRegex(@"^[A-Za-z0-9\-]+$")]
    private static partial Regex EndoscopeSerial();
}
