using System.Text.RegularExpressions;
using LxAnnotate.Hub.Processing.Ocr;

namespace LxAnnotate.Hub.Processing.Reports;

/// <summary>
/// Finds the sensitive parts of report text: every occurrence (whole words, any case) of the patient's and
/// examiner's name parts, every date (the date of birth told apart), every number of five or more digits,
/// and the case number. Overlaps resolve to the earlier, then longer span. A pure function shared by the
/// text anonymizer and the PDF redactor, so both hide the same things.
/// </summary>
internal static partial class SensitiveSpans
{
    public static IReadOnlyList<SensitiveSpan> Find(string text, ReportMetadata metadata, int pivotYear)
    {
        var spans = new List<SensitiveSpan>();
        foreach (var (token, kind) in NameTokens(metadata))
        {
            var pattern = new Regex(@"(?<![\p{L}\p{M}])" + Regex.Escape(token) + @"(?![\p{L}\p{M}])",
                RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, TimeSpan.FromSeconds(1));
            foreach (Match match in pattern.Matches(text))
            {
                spans.Add(new SensitiveSpan(match.Index, match.Length, kind));
            }
        }
        foreach (var date in DateParsing.FindDates(text, pivotYear))
        {
            var kind = metadata.DateOfBirth == date.Date ? SensitiveSpanKind.BirthDate : SensitiveSpanKind.OtherDate;
            spans.Add(new SensitiveSpan(date.Index, date.Length, kind, date));
        }
        foreach (Match match in LongNumber().Matches(text))
        {
            spans.Add(new SensitiveSpan(match.Index, match.Length, SensitiveSpanKind.LongNumber));
        }
        if (metadata.CaseNumber is { Length: >= 2 } caseNumber)
        {
            var index = 0;
            while ((index = text.IndexOf(caseNumber, index, StringComparison.Ordinal)) >= 0)
            {
                spans.Add(new SensitiveSpan(index, caseNumber.Length, SensitiveSpanKind.CaseNumber));
                index += caseNumber.Length;
            }
        }

        var result = new List<SensitiveSpan>();
        foreach (var span in spans.OrderBy(s => s.Start).ThenByDescending(s => s.Length))
        {
            if (result.Count == 0 || span.Start >= result[^1].End)
            {
                result.Add(span);
            }
        }
        return result;
    }

    /// <summary>Name parts to look for, with their kind.</summary>
    private static IEnumerable<(string Token, SensitiveSpanKind Kind)> NameTokens(ReportMetadata metadata)
    {
        var tokens = new List<(string, SensitiveSpanKind)>();
        void Add(string? name, SensitiveSpanKind kind)
        {
            if (name is not null)
            {
                tokens.AddRange(NameParts(name).Select(part => (part, kind)));
            }
        }
        Add(metadata.PatientFirstName, SensitiveSpanKind.FirstName);
        Add(metadata.PatientLastName, SensitiveSpanKind.LastName);
        Add(metadata.ExaminerFirstName, SensitiveSpanKind.FirstName);
        Add(metadata.ExaminerLastName, SensitiveSpanKind.LastName);
        return tokens.Distinct();
    }

    /// <summary>The parts of one name that are looked for: the whole name, then its hyphen and space parts; ß also as ss.</summary>
    public static IEnumerable<string> NameParts(string name)
    {
        foreach (var part in new[] { name }.Concat(name.Split([' ', '-'], StringSplitOptions.RemoveEmptyEntries)))
        {
            if (part.Length >= 2)
            {
                yield return part;
                if (part.Contains('ß', StringComparison.Ordinal))
                {
                    yield return part.Replace("ß", "ss", StringComparison.Ordinal);
                }
            }
        }
    }

    [GeneratedRegex(@"(?<!\d)\d{5,}(?!\d)", RegexOptions.CultureInvariant)]
    private static partial Regex LongNumber();
}
