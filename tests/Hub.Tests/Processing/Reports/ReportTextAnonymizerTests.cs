using LxAnnotate.Hub.Processing.Ocr;
using LxAnnotate.Hub.Processing.Reports;

namespace LxAnnotate.Hub.Tests.Processing.Reports;

public sealed class ReportTextAnonymizerTests
{
    private const string HashA = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";
    private const string HashB = "aa1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1ff";

    private static readonly string Text = string.Join('\n', LxAnnotate.TestSupport.Media.ReportPdfFixture.SampleLines) + "\nMÜLLER, JÜRGEN; müller";
    private static readonly ReportMetadata Metadata = ReportMetadataParser.Parse(Text, 2026);

    [Fact]
    public void Anonymize_SampleReport_RemovesEveryIdentifier()
    {
        var result = ReportTextAnonymizer.Anonymize(Text, Metadata, HashA, 2026);

        foreach (var secret in new[] { "Müller", "Jürgen", "Schmidt", "Anna", "12.05.1961", "21.03.2024", "40012345", "2901234" })
        {
            Assert.DoesNotContain(secret, result, StringComparison.OrdinalIgnoreCase);
        }
        Assert.Contains("Befund: Koloskopie bis zum Zökum", result, StringComparison.Ordinal);
        Assert.Contains("Kontrolle in 5 Jahren", result, StringComparison.Ordinal);
        Assert.Contains("14:35", result, StringComparison.Ordinal);
    }

    [Fact]
    public void Anonymize_SameDocument_IsDeterministic_OtherDocument_Differs()
    {
        var first = ReportTextAnonymizer.Anonymize(Text, Metadata, HashA, 2026);
        var again = ReportTextAnonymizer.Anonymize(Text, Metadata, HashA, 2026);
        var other = ReportTextAnonymizer.Anonymize(Text, Metadata, HashB, 2026);

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void Anonymize_Names_KeepLetterCaseAndConsistency()
    {
        var pseudonyms = new ReportPseudonyms(HashA);
        var last = pseudonyms.LastName("Müller");

        var result = ReportTextAnonymizer.Anonymize(Text, Metadata, HashA, 2026);

        Assert.Contains("Patient: " + last + ", ", result, StringComparison.Ordinal);
        Assert.Contains("Herr " + last + " wurde", result, StringComparison.Ordinal);
        Assert.Contains(last.ToUpperInvariant() + ", ", result, StringComparison.Ordinal);
        Assert.EndsWith("; " + last.ToLowerInvariant(), result, StringComparison.Ordinal);
    }

    [Fact]
    public void Anonymize_Dates_ShiftedWithinRangesInTheirForm()
    {
        var pseudonyms = new ReportPseudonyms(HashA);

        var result = ReportTextAnonymizer.Anonymize("geb. 12.05.1961 U-datum: 2024-03-21 Kontrolle 1.4.24", Metadata, HashA, 2026);

        var dates = DateParsing.FindDates(result, 2026);
        Assert.Equal(3, dates.Count);
        Assert.Equal(new DateOnly(1961, 5, 12).AddDays(pseudonyms.BirthShiftDays), dates[0].Date);
        Assert.Equal(DateFormatKind.DayMonthYear4, dates[0].Format);
        Assert.Equal(new DateOnly(2024, 3, 21).AddDays(pseudonyms.ExaminationShiftDays), dates[1].Date);
        Assert.Equal(DateFormatKind.Iso, dates[1].Format);
        Assert.Equal(new DateOnly(2024, 4, 1).AddDays(pseudonyms.ExaminationShiftDays), dates[2].Date);
        Assert.Equal(DateFormatKind.DayMonthYear2, dates[2].Format);
    }

    [Fact]
    public void Anonymize_LongNumbers_SameLengthOtherDigits_ShortNumbersKept()
    {
        var result = ReportTextAnonymizer.Anonymize("Tel 0761 270123456, Zimmer 1234, ID 99999", Metadata, HashA, 2026);

        var parts = result.Split(' ');
        Assert.Equal("0761", parts[1]);
        Assert.Matches("^[0-9]{9},$", parts[2]);
        Assert.NotEqual("270123456,", parts[2]);
        Assert.Equal("1234,", parts[4]);
        Assert.Matches("^[1-9][0-9]{4}$", parts[6]);
    }

    [Theory]
    [InlineData(HashA)]
    [InlineData(HashB)]
    [InlineData("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff")]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000")]
    public void Pseudonyms_ShiftRanges_Hold(string hash)
    {
        var pseudonyms = new ReportPseudonyms(hash);

        Assert.InRange(pseudonyms.BirthShiftDays, -1200, -365);
        Assert.InRange(pseudonyms.ExaminationShiftDays, -30, 30);
        Assert.NotEqual("Müller", pseudonyms.LastName("Müller"));
    }

    [Fact]
    public void SensitiveSpans_Sample_FindsNamesDatesAndNumbers()
    {
        var spans = SensitiveSpans.Find("Patient: Müller, Jürgen geb. 12.05.1961 Fallnummer: 40012345", Metadata, 2026);

        Assert.Equal(
            [SensitiveSpanKind.LastName, SensitiveSpanKind.FirstName, SensitiveSpanKind.BirthDate, SensitiveSpanKind.LongNumber],
            spans.Select(s => s.Kind));
    }
}
