using System.Text;
using LxAnnotate.Hub.Processing.Ocr;

namespace LxAnnotate.Hub.Processing.Reports;

/// <summary>
/// Produces a report's <c>anonymized_text</c>: names → deterministic pseudonyms (letter case kept, a first name of
/// the person's gender, see <see cref="ReportGenderReader"/>), the date of birth shifted by −1200…−365 days and every
/// other date by −30…+30 days (each in its written form), numbers of five or more digits and the case number →
/// derived digits of the same length. Seeded from the document hash (<see cref="ReportPseudonyms"/>). A pure function.
/// </summary>
internal static class ReportTextAnonymizer
{
    public static string Anonymize(string text, ReportMetadata metadata, string documentSha256, int pivotYear) =>
        Anonymize(text, metadata, ReportGenderReader.Read(text, metadata), documentSha256, pivotYear);

    public static string Anonymize(string text, ReportMetadata metadata, ReportGenders genders, string documentSha256, int pivotYear)
    {
        ArgumentNullException.ThrowIfNull(genders);
        var pseudonyms = new ReportPseudonyms(documentSha256);
        var realNames = new[] { metadata.PatientFirstName, metadata.PatientLastName, metadata.ExaminerFirstName, metadata.ExaminerLastName }
            .OfType<string>().SelectMany(SensitiveSpans.NameParts).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var output = new StringBuilder(text.Length);
        var position = 0;
        foreach (var span in SensitiveSpans.Find(text, metadata, pivotYear))
        {
            output.Append(text, position, span.Start - position);
            var original = text.Substring(span.Start, span.Length);
            output.Append(span.Kind switch
            {
                SensitiveSpanKind.FirstName => pseudonyms.FirstName(original, genders.OfFirstName(original, metadata), realNames),
                SensitiveSpanKind.LastName => pseudonyms.LastName(original),
                SensitiveSpanKind.BirthDate => Shift(span.Date!, pseudonyms.BirthShiftDays),
                SensitiveSpanKind.OtherDate => Shift(span.Date!, pseudonyms.ExaminationShiftDays),
                _ => pseudonyms.Digits(original),
            });
            position = span.End;
        }
        output.Append(text, position, text.Length - position);
        return output.ToString();
    }

    private static string Shift(FoundDate date, int days) => DateParsing.Format(date.Date.AddDays(days), date.Format);
}
