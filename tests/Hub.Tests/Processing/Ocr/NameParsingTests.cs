using LxAnnotate.Hub.Processing.Ocr;

namespace LxAnnotate.Hub.Tests.Processing.Ocr;

public sealed class NameParsingTests
{
    [Theory]
    [InlineData("Müller, Jürgen", "Jürgen", "Müller")]
    [InlineData("Groß-Öztürk,Björn", "Björn", "Groß-Öztürk")]
    [InlineData("Jürgen Müller", "Jürgen", "Müller")]
    [InlineData("Anna Lena Weiß", "Anna Lena", "Weiß")]
    [InlineData("  WEISS ,  ÄNNE ", "ÄNNE", "WEISS")]
    [InlineData("O'Neill, Seán", "Seán", "O'Neill")]
    [InlineData("Müller", null, "Müller")]
    [InlineData("Müller, ", null, "Müller")]
    public void ParseFullName_BothForms_SplitsFirstAndLast(string text, string? first, string? last)
    {
        var name = NameParsing.ParseFullName(text);

        Assert.NotNull(name);
        Assert.Equal(first, name.FirstName);
        Assert.Equal(last, name.LastName);
    }

    [Theory]
    [InlineData("")]
    [InlineData("12.05.1961")]
    [InlineData(", ")]
    [InlineData("x")]
    public void ParseFullName_NoName_ReturnsNull(string text)
    {
        Assert.Null(NameParsing.ParseFullName(text));
    }

    [Theory]
    [InlineData("Müller", "Müller")]
    [InlineData("| Müller", "Müller")]
    [InlineData("Müller i", "Müller")]
    [InlineData("Müller3", "Müller")]
    [InlineData("-Groß-Öztürk-", "Groß-Öztürk")]
    [InlineData("Anna  Lena", "Anna Lena")]
    [InlineData("u\u0308lrich", "\u00fclrich")]
    [InlineData("7", null)]
    [InlineData("a", null)]
    public void CleanPart_OcrNoise_IsRemoved(string text, string? expected)
    {
        Assert.Equal(expected, NameParsing.CleanPart(text));
    }
}
