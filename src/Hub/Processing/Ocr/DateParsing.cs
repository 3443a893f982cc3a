using System.Globalization;
using System.Text.RegularExpressions;

namespace LxAnnotate.Hub.Processing.Ocr;

/// <summary>
/// Finds German and ISO dates (<c>dd.mm.yyyy</c>, <c>d.m.yy</c>, <c>yyyy-mm-dd</c>) and times
/// (<c>HH:mm[:ss]</c>) in text, with the label before and the time after each date. Pure functions.
/// </summary>
internal static partial class DateParsing
{
    private const int LabelWindow = 24;

    /// <summary>
    /// All valid dates in <paramref name="text"/>, in order. Two-digit years become
    /// <c>20yy</c> unless that is after <paramref name="pivotYear"/>, then <c>19yy</c>.
    /// </summary>
    public static IReadOnlyList<FoundDate> FindDates(string text, int pivotYear)
    {
        var found = new List<FoundDate>();
        foreach (Match match in DatePattern().Matches(text))
        {
            DateOnly? date;
            DateFormatKind format;
            if (match.Groups["iy"].Success)
            {
                format = DateFormatKind.Iso;
                date = MakeDate(Int(match.Groups["iy"]), Int(match.Groups["im"]), Int(match.Groups["id"]));
            }
            else
            {
                var yearText = match.Groups["y"].Value;
                var year = Int(match.Groups["y"]);
                if (yearText.Length == 2)
                {
                    format = DateFormatKind.DayMonthYear2;
                    year = 2000 + year > pivotYear ? 1900 + year : 2000 + year;
                }
                else
                {
                    format = DateFormatKind.DayMonthYear4;
                }
                date = MakeDate(year, Int(match.Groups["m"]), Int(match.Groups["d"]));
            }
            if (date is null)
            {
                continue;
            }
            var after = text.AsSpan(match.Index + match.Length);
            var time = TimeAfter(after.ToString());
            found.Add(new FoundDate(date.Value, match.Index, match.Length, format, LabelBefore(text, match.Index), time));
        }
        return found;
    }

    /// <summary>The first time (<c>HH:mm</c> or <c>HH:mm:ss</c>) in <paramref name="text"/>, or null.</summary>
    public static TimeOnly? FindTime(string text)
    {
        var match = TimePattern().Match(text);
        return match.Success ? ToTime(match) : null;
    }

    /// <summary>Writes <paramref name="date"/> in the form <paramref name="format"/> (German forms zero-padded).</summary>
    public static string Format(DateOnly date, DateFormatKind format) => format switch
    {
        DateFormatKind.Iso => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateFormatKind.DayMonthYear2 => date.ToString("dd.MM.yy", CultureInfo.InvariantCulture),
        _ => date.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// Replaces letters OCR commonly reads instead of digits (<c>O</c>/<c>o</c>→0, <c>l</c>/<c>I</c>/<c>|</c>→1,
    /// <c>,</c>→<c>.</c> between digits) where they sit between digits or separators, for date and time fields.
    /// </summary>
    public static string NormalizeDigits(string text)
    {
        var chars = text.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            var previous = i > 0 ? chars[i - 1] : ' ';
            var next = i + 1 < chars.Length ? chars[i + 1] : ' ';
            var nearDigit = char.IsAsciiDigit(previous) || char.IsAsciiDigit(next);
            if (!nearDigit)
            {
                continue;
            }
            chars[i] = chars[i] switch
            {
                'O' or 'o' or 'D' => '0',
                'l' or 'I' or '|' => '1',
                ',' when char.IsAsciiDigit(previous) && char.IsAsciiDigit(next) => '.',
                _ => chars[i],
            };
        }
        return new string(chars);
    }

    private static TimeOnly? TimeAfter(string after)
    {
        var match = TimeAfterPattern().Match(after);
        return match.Success ? ToTime(match) : null;
    }

    private static TimeOnly? ToTime(Match match)
    {
        var hour = Int(match.Groups["h"]);
        var minute = Int(match.Groups["min"]);
        var second = match.Groups["s"].Success ? Int(match.Groups["s"]) : 0;
        return hour < 24 && minute < 60 && second < 60 ? new TimeOnly(hour, minute, second) : null;
    }

    private static DateLabel LabelBefore(string text, int index)
    {
        var start = Math.Max(0, index - LabelWindow);
        var window = text[start..index];
        // Only the part after the last line break or date belongs to this date.
        var cut = Math.Max(window.LastIndexOf('\n'), LastDigitRun(window));
        if (cut >= 0)
        {
            window = window[(cut + 1)..];
        }
        if (BirthLabel().IsMatch(window))
        {
            return DateLabel.Birth;
        }
        return ExamLabel().IsMatch(window) ? DateLabel.Examination : DateLabel.None;
    }

    private static int LastDigitRun(string window)
    {
        for (var i = window.Length - 1; i > 0; i--)
        {
            if (char.IsAsciiDigit(window[i]) && char.IsAsciiDigit(window[i - 1]))
            {
                return i;
            }
        }
        return -1;
    }

    private static DateOnly? MakeDate(int year, int month, int day) =>
        year is >= 1900 and <= 2100 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month)
            ? new DateOnly(year, month, day)
            : null;

    private static int Int(Group group) => int.Parse(group.ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"(?<!\d)(?:(?<iy>(?:19|20)\d{2})-(?<im>\d{1,2})-(?<id>\d{1,2})|(?<d>\d{1,2})[./]\s?(?<m>\d{1,2})[./]\s?(?<y>\d{4}|\d{2}))(?![\d])", RegexOptions.CultureInvariant)]
    private static partial Regex DatePattern();

    [GeneratedRegex(@"(?<!\d)(?<h>[01]?\d|2[0-3]):(?<min>[0-5]\d)(?::(?<s>[0-5]\d))?(?!\d)", RegexOptions.CultureInvariant)]
    private static partial Regex TimePattern();

    [GeneratedRegex(@"^[\s,;/-]{0,4}(?:um\s+)?(?<h>[01]?\d|2[0-3]):(?<min>[0-5]\d)(?::(?<s>[0-5]\d))?(?!\d)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex TimeAfterPattern();

    [GeneratedRegex(@"(?:\bgeb\b|\bgeboren|\bgeburtsdatum|\bgeb\.?-?datum|\bdob\b|\bbirth|\*)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex BirthLabel();

    [GeneratedRegex(@"(?:\bu-?datum|\bunters|\bexam|\buntersuchungsdatum)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex ExamLabel();
}
