using LxAnnotate.Hub.Processing.Ocr;

namespace LxAnnotate.Hub.Tests.Processing.Ocr;

public sealed class OverlayFieldKindsTests
{
    private static readonly DateOnly Today = new(2026, 12, 6);

    [Theory]
    [InlineData("Müller")]
    [InlineData("Weiß")]
    [InlineData("Groß-Öztürk")]
    [InlineData("Hans-Jörg")]
    [InlineData("Ännchen")]
    [InlineData("O'Brien")]
    [InlineData("von Weizsäcker")]
    [InlineData("de la Cruz")]
    [InlineData("MÜLLER")]
    [InlineData("McDonald")]
    [InlineData("Renée")]
    [InlineData("Anna Maria")]
    public void IsName_RealNames_True(string name) => Assert.True(OverlayFieldKinds.IsName(name));

    [Theory]
    [InlineData("po")]
    [InlineData("P0")]
    [InlineData("MüLLer")]
    [InlineData("PoRnBE")]
    [InlineData("Mü11er")]
    [InlineData("x")]
    [InlineData("Abcdefghijklmnopqrstuvwxyzabcdefghijklmno")]
    [InlineData("Müller--Weiß")]
    public void IsName_NotAName_False(string text) => Assert.False(OverlayFieldKinds.IsName(text));

    [Theory]
    [InlineData("Müller", true)]
    [InlineData("Müller, Jürgen", true)]
    [InlineData("|Müller", true)]
    [InlineData("Mü11er", false)]
    [InlineData("po ~ 3 Po", false)]
    public void IsNameLine_DigitsAndSymbols_NotAName(string raw, bool expected) => Assert.Equal(expected, OverlayFieldKinds.IsNameLine(raw));

    [Theory]
    [InlineData(1961, 5, 12, true)]
    [InlineData(1899, 12, 31, false)]
    [InlineData(2027, 1, 1, false)]
    public void IsBirthDate_PlausibleRange(int year, int month, int day, bool expected) =>
        Assert.Equal(expected, OverlayFieldKinds.IsBirthDate(new DateOnly(year, month, day), Today));

    [Theory]
    [InlineData(2024, 3, 21, true)]
    [InlineData(2026, 12, 7, true)]
    [InlineData(1985, 1, 1, false)]
    [InlineData(2027, 6, 1, false)]
    public void IsExaminationDate_PlausibleRange(int year, int month, int day, bool expected) =>
        Assert.Equal(expected, OverlayFieldKinds.IsExaminationDate(new DateOnly(year, month, day), Today));

    [Theory]
    [InlineData("CF-HQ190L", true)]
    [InlineData("GIF-1TH190", true)]
    [InlineData("EG-2990i", true)]
    [InlineData("EC-760ZP-V/L", true)]
    [InlineData("Rn BE", false)]
    [InlineData("CF-H", false)]
    [InlineData("190", false)]
    public void IsEndoscopeType_Pattern(string text, bool expected) => Assert.Equal(expected, OverlayFieldKinds.IsEndoscopeType(text));

    [Theory]
    [InlineData("2901234", true)]
    [InlineData("5C123A456", true)]
    [InlineData("Bu", false)]
    [InlineData("AB12", false)]
    [InlineData("29 01234", false)]
    public void IsEndoscopeSerial_Pattern(string text, bool expected) => Assert.Equal(expected, OverlayFieldKinds.IsEndoscopeSerial(text));
}
