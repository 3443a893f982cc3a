using LxAnnotate.Hub.Processing.Ocr;

namespace LxAnnotate.Hub.Tests.Processing.Ocr;

public sealed class DateParsingTests
{
    private const int Pivot = 2026;

    public static TheoryData<string, string, string> SingleDates => new()
    {
        { "12.05.1961", "1961-05-12", nameof(DateFormatKind.DayMonthYear4) },
        { "1.2.1999", "1999-02-01", nameof(DateFormatKind.DayMonthYear4) },
        { "3.11.48", "1948-11-03", nameof(DateFormatKind.DayMonthYear2) },
        { "3.11.24", "2024-11-03", nameof(DateFormatKind.DayMonthYear2) },
        { "09.07.26", "2026-07-09", nameof(DateFormatKind.DayMonthYear2) },
        { "09.07.27", "1927-07-09", nameof(DateFormatKind.DayMonthYear2) },
        { "2023-12-01", "2023-12-01", nameof(DateFormatKind.Iso) },
        { "2023-1-5", "2023-01-05", nameof(DateFormatKind.Iso) },
        { "12/05/1961", "1961-05-12", nameof(DateFormatKind.DayMonthYear4) },
        { "geb. 12. 05. 1961", "1961-05-12", nameof(DateFormatKind.DayMonthYear4) },
    };

    [Theory]
    [MemberData(nameof(SingleDates))]
    public void FindDates_SupportedForm_ParsesDateAndForm(string text, string expected, string format)
    {
        var found = Assert.Single(DateParsing.FindDates(text, Pivot));

        Assert.Equal(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), found.Date);
        Assert.Equal(Enum.Parse<DateFormatKind>(format), found.Format);
    }

    [Theory]
    [InlineData("31.02.2020")]
    [InlineData("00.01.2020")]
    [InlineData("12.13.2020")]
    [InlineData("2020-13-01")]
    [InlineData("112.05.1961")]
    [InlineData("12.05.19612")]
    [InlineData("Tel. 0761 12345")]
    [InlineData("01.01.1850")]
    public void FindDates_InvalidOrNoDate_FindsNothing(string text)
    {
        Assert.Empty(DateParsing.FindDates(text, Pivot));
    }

    [Theory]
    [InlineData("geb. 12.05.1961", nameof(DateLabel.Birth))]
    [InlineData("geboren am 12.05.1961", nameof(DateLabel.Birth))]
    [InlineData("Geburtsdatum: 12.05.1961", nameof(DateLabel.Birth))]
    [InlineData("DOB 1961-05-12", nameof(DateLabel.Birth))]
    [InlineData("* 12.05.1961", nameof(DateLabel.Birth))]
    [InlineData("U-datum: 21.03.2024", nameof(DateLabel.Examination))]
    [InlineData("Unters.-Datum 21.03.2024", nameof(DateLabel.Examination))]
    [InlineData("21.03.2024", nameof(DateLabel.None))]
    [InlineData("Müller\n21.03.2024", nameof(DateLabel.None))]
    public void FindDates_LabelBefore_IsRecognised(string text, string label)
    {
        Assert.Equal(Enum.Parse<DateLabel>(label), Assert.Single(DateParsing.FindDates(text, Pivot)).Label);
    }

    [Fact]
    public void FindDates_LabelBelongsOnlyToTheNextDate()
    {
        var found = DateParsing.FindDates("geb. 12.05.1961 21.03.2024", Pivot);

        Assert.Equal([DateLabel.Birth, DateLabel.None], found.Select(f => f.Label));
    }

    [Theory]
    [InlineData("21.03.2024 14:35", "14:35:00")]
    [InlineData("21.03.2024, 08:05:09", "08:05:09")]
    [InlineData("21.03.2024 um 9:15", "09:15:00")]
    [InlineData("21.03.2024", null)]
    [InlineData("21.03.2024 Müller 14:35", null)]
    public void FindDates_TimeAfterDate_IsAttached(string text, string? time)
    {
        var found = Assert.Single(DateParsing.FindDates(text, Pivot));

        Assert.Equal(time is null ? null : TimeOnly.Parse(time, System.Globalization.CultureInfo.InvariantCulture), found.Time);
    }

    [Theory]
    [InlineData("12.O5.196l", "12.05.1961")]
    [InlineData("1O:3O", "10:30")]
    [InlineData("12,05,1961", "12.05.1961")]
    [InlineData("Olaf", "Olaf")]
    public void NormalizeDigits_OcrConfusions_Fixed(string text, string expected)
    {
        Assert.Equal(expected, DateParsing.NormalizeDigits(text));
    }

    [Theory]
    [InlineData("1961-05-12", nameof(DateFormatKind.DayMonthYear4), "12.05.1961")]
    [InlineData("1961-05-12", nameof(DateFormatKind.DayMonthYear2), "12.05.61")]
    [InlineData("1961-05-12", nameof(DateFormatKind.Iso), "1961-05-12")]
    public void Format_EachForm_WritesIt(string date, string format, string expected)
    {
        Assert.Equal(expected, DateParsing.Format(DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture), Enum.Parse<DateFormatKind>(format)));
    }
}
