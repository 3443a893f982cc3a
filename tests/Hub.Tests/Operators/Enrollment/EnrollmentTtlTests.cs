using LxAnnotate.Hub.Operators;
using LxAnnotate.Hub.Operators.Enrollment;

namespace LxAnnotate.Hub.Tests.Operators.Enrollment;

public sealed class EnrollmentTtlTests
{
    [Theory]
    [InlineData(null, 24 * 3600)]
    [InlineData("90s", 90)]
    [InlineData("30m", 1800)]
    [InlineData(" 24h ", 24 * 3600)]
    [InlineData("30d", 30 * 24 * 3600)]
    public void Parse_ValidText_Lifetime(string? text, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), EnrollmentTtl.Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("24")]
    [InlineData("h")]
    [InlineData("0h")]
    [InlineData("-1h")]
    [InlineData("1.5h")]
    [InlineData("2w")]
    [InlineData("31d")]
    public void Parse_InvalidOrTooLong_RefusedNamingTheOption(string text)
    {
        var refusal = Assert.Throws<OperatorException>(() => EnrollmentTtl.Parse(text));

        Assert.Equal(OperatorErrorKind.InvalidArgument, refusal.Kind);
        Assert.StartsWith("--ttl must", refusal.Message, StringComparison.Ordinal);
    }
}
