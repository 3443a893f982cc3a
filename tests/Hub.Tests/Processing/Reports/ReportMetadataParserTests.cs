using System.Globalization;
using LxAnnotate.Hub.Processing.Reports;

namespace LxAnnotate.Hub.Tests.Processing.Reports;

public sealed class ReportMetadataParserTests
{
    [Fact]
    public void Parse_SampleReport_ReadsEveryField()
    {
        var metadata = ReportMetadataParser.Parse(string.Join('\n', LxAnnotate.TestSupport.Media.ReportPdfFixture.SampleLines), 2026);

        Assert.Equal(new ReportMetadata("Jürgen", "Müller", D("1961-05-12"), "40012345", "Anna", "Schmidt", D("2024-03-21"),
            new TimeOnly(14, 35), "Olympus CF-HQ190L", "2901234"), metadata);
    }

    public static TheoryData<string, string?, string?, string?> PatientLines => new()
    {
        { "Patient: Müller, Jürgen geb. 12.05.1961", "Jürgen", "Müller", "1961-05-12" },
        { "Pat.: Groß-Öztürk, Björn, geboren am 3.11.48", "Björn", "Groß-Öztürk", "1948-11-03" },
        { "Patientin: WEISS, ÄNNE * 1975-01-30", "ÄNNE", "WEISS", "1975-01-30" },
        { "Pat.:Schulze, Eva-Maria; Fallnr. 123", "Eva-Maria", "Schulze", null },
        { "Befund ohne Patientenzeile", null, null, null },
    };

    [Theory]
    [MemberData(nameof(PatientLines))]
    public void Parse_PatientLine_ReadsNameAndBirthDate(string text, string? first, string? last, string? dob)
    {
        var metadata = ReportMetadataParser.Parse(text, 2026);

        Assert.Equal(first, metadata.PatientFirstName);
        Assert.Equal(last, metadata.PatientLastName);
        Assert.Equal(dob is null ? null : D(dob), metadata.DateOfBirth);
    }

    [Theory]
    [InlineData("Fallnummer: 40012345", "40012345")]
    [InlineData("Fallnr. F-2024/117", "F-2024/117")]
    [InlineData("FALLNR.: 77", "77")]
    [InlineData("keine Nummer", null)]
    public void Parse_CaseNumber_IsRead(string text, string? expected)
    {
        Assert.Equal(expected, ReportMetadataParser.Parse(text, 2026).CaseNumber);
    }

    [Theory]
    [InlineData("Unters.: Dr. med. Schmidt, Anna  U-datum: 21.03.2024 14:35", "Anna", "Schmidt", "2024-03-21", "14:35")]
    [InlineData("Unters.: Prof. Dr. Karl Weber U-datum: 2024-03-21", "Karl", "Weber", "2024-03-21", null)]
    [InlineData("Untersucher: Lea Roth\nU-datum: 1.2.24 08:10", "Lea", "Roth", "2024-02-01", "08:10")]
    public void Parse_ExaminationLine_ReadsExaminerDateAndTime(string text, string first, string last, string date, string? time)
    {
        var metadata = ReportMetadataParser.Parse(text, 2026);

        Assert.Equal(first, metadata.ExaminerFirstName);
        Assert.Equal(last, metadata.ExaminerLastName);
        Assert.Equal(D(date), metadata.ExaminationDate);
        Assert.Equal(time is null ? null : TimeOnly.Parse(time, CultureInfo.InvariantCulture), metadata.ExaminationTime);
    }

    [Theory]
    [InlineData("Gerät: Olympus CF-HQ190L Seriennummer: 2901234", "Olympus CF-HQ190L", "2901234")]
    [InlineData("Geraet: GIF-H190, S/N 7712055", "GIF-H190", "7712055")]
    [InlineData("Gerät: Pentax EG29-i10", "Pentax EG29-i10", null)]
    public void Parse_DeviceLine_ReadsModelAndSerial(string text, string model, string? serial)
    {
        var metadata = ReportMetadataParser.Parse(text, 2026);

        Assert.Equal(model, metadata.DeviceModel);
        Assert.Equal(serial, metadata.DeviceSerial);
    }

    [Fact]
    public void Parse_UnlabeledDates_OlderIsBirth()
    {
        var metadata = ReportMetadataParser.Parse("Patient: Roth, Lea\n21.03.2024\n12.05.1961", 2026);

        Assert.Equal(D("1961-05-12"), metadata.DateOfBirth);
        Assert.Equal(D("2024-03-21"), metadata.ExaminationDate);
    }

    private static DateOnly D(string text) => DateOnly.Parse(text, CultureInfo.InvariantCulture);
}
