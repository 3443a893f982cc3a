using LxAnnotate.Hub.Processing.Ocr;

namespace LxAnnotate.Hub.Tests.Processing.Ocr;

public sealed class DateRoleResolverTests
{
    public static TheoryData<string, string?, string?, string?> Cases => new()
    {
        // text, expected birth, expected exam, expected exam time
        { "geb. 21.03.2024 Unters. 12.05.1961", "2024-03-21", "1961-05-12", null }, // labels win over age
        { "12.05.1961 21.03.2024", "1961-05-12", "2024-03-21", null },                // older = birth
        { "21.03.2024 12.05.1961", "1961-05-12", "2024-03-21", null },
        { "21.03.2024 14:35", null, "2024-03-21", "14:35:00" },                        // single date with time = exam
        { "U-datum: 21.03.2024 08:00 geb. 12.05.1961", "1961-05-12", "2024-03-21", "08:00:00" },
        { "geb. 12.05.1961 21.03.2024 10:00", "1961-05-12", "2024-03-21", "10:00:00" }, // one labeled, the other filled
        { "Unters. 21.03.2024 12.05.1961", "1961-05-12", "2024-03-21", null },
        { "12.05.1961", null, null, null },                                             // nothing decides
        { "", null, null, null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Resolve_Evidence_AssignsRoles(string text, string? birth, string? exam, string? time)
    {
        var roles = DateRoleResolver.Resolve(DateParsing.FindDates(text, 2026));

        Assert.Equal(Parse(birth), roles.DateOfBirth);
        Assert.Equal(Parse(exam), roles.ExaminationDate);
        Assert.Equal(time is null ? null : TimeOnly.Parse(time, System.Globalization.CultureInfo.InvariantCulture), roles.ExaminationTime);
    }

    [Theory]
    [InlineData(nameof(DateLabel.Birth), "1961-05-12", null)]
    [InlineData(nameof(DateLabel.Examination), null, "1961-05-12")]
    public void Resolve_SingleUnlabeledDate_FollowsHint(string hint, string? birth, string? exam)
    {
        var roles = DateRoleResolver.Resolve(DateParsing.FindDates("12.05.1961", 2026), _ => Enum.Parse<DateLabel>(hint));

        Assert.Equal(Parse(birth), roles.DateOfBirth);
        Assert.Equal(Parse(exam), roles.ExaminationDate);
    }

    private static DateOnly? Parse(string? text) => text is null ? null : DateOnly.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
}
