using LxAnnotate.Node.SapImport;

namespace LxAnnotate.Node.Tests.SapImport;

public sealed class CellValuesTests
{
    [Theory]
    [InlineData("2024-05-17 09:30:15.123456", "2024-05-17T09:30:15.1234560")]
    [InlineData("2024-05-17T09:30:15.123456789", "2024-05-17T09:30:15.1234567")]
    [InlineData("2024-05-17 09:30:15", "2024-05-17T09:30:15.0000000")]
    [InlineData("2024-05-17T09:30", "2024-05-17T09:30:00.0000000")]
    [InlineData("17.05.2024 09:30:15", "2024-05-17T09:30:15.0000000")]
    [InlineData("17.05.2024 09:30", "2024-05-17T09:30:00.0000000")]
    [InlineData(" 2024-05-17 ", "2024-05-17T00:00:00.0000000")]
    [InlineData("17.05.2024", "2024-05-17T00:00:00.0000000")]
    public void Timestamp_AcceptedFormats_Parse(string raw, string expected)
    {
        Assert.Equal(expected, CellValues.Timestamp(raw)!.Value.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("17/05/2024")]
    [InlineData("2024-13-01")]
    [InlineData("gestern")]
    [InlineData(null)]
    public void Timestamp_Unparseable_IsNull(string? raw) => Assert.Null(CellValues.Timestamp(raw));

    [Theory]
    [InlineData("1", true)]
    [InlineData("true", true)]
    [InlineData("YES", true)]
    [InlineData("y", true)]
    [InlineData("Ja", true)]
    [InlineData("0", false)]
    [InlineData("False", false)]
    [InlineData("no", false)]
    [InlineData("n", false)]
    [InlineData("nein", false)]
    [InlineData("vielleicht", null)]
    [InlineData("", null)]
    public void Boolean_Values_Convert(string raw, bool? expected) => Assert.Equal(expected, CellValues.Boolean(raw));

    [Theory]
    [InlineData("m", "male")]
    [InlineData("Männlich", "male")]
    [InlineData("maennlich", "male")]
    [InlineData("W", "female")]
    [InlineData("f", "female")]
    [InlineData("weiblich", "female")]
    [InlineData("d", "other")]
    [InlineData("divers", "other")]
    [InlineData("u", "unknown")]
    [InlineData("unbekannt", "unknown")]
    [InlineData("x", null)]
    [InlineData(" ", null)]
    public void Gender_Values_Normalize(string raw, string? expected) => Assert.Equal(expected, CellValues.Gender(raw));

    [Theory]
    [InlineData(" 42 ", 42)]
    [InlineData("-3", -3)]
    [InlineData("4.5", null)]
    [InlineData("", null)]
    public void Integer_Values_Convert(string raw, int? expected) => Assert.Equal(expected, CellValues.Integer(raw));

    [Fact]
    public void Text_Blank_IsNullAndOtherwiseTrimmed()
    {
        Assert.Null(CellValues.Text("  \t "));
        Assert.Equal("a b", CellValues.Text("  a b "));
    }
}
