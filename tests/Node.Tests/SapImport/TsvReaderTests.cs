using LxAnnotate.Node.SapImport;

namespace LxAnnotate.Node.Tests.SapImport;

public sealed class TsvReaderTests
{
    private static List<List<string>> ReadAll(string text, out int records, int maxFieldChars = 1000)
    {
        var reader = new TsvReader(new StringReader(text), maxFieldChars);
        var result = new List<List<string>>();
        while (reader.ReadRecord() is { } record)
        {
            result.Add(record);
        }

        records = reader.RecordsRead;
        return result;
    }

    [Fact]
    public void ReadRecord_QuotedTabsNewlinesAndDoubledQuotes_StayInTheField()
    {
        var rows = ReadAll("a\tb\r\n\"x\ty\r\nz \"\"q\"\"\"\tlast\r\n", out _);

        Assert.Equal(2, rows.Count);
        Assert.Equal(["x\ty\r\nz \"q\"", "last"], rows[1]);
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    [InlineData("\r")]
    public void ReadRecord_LineEndings_AllEndARecord(string newline)
    {
        var rows = ReadAll($"a\tb{newline}1\t2{newline}3\t4", out var records);

        Assert.Equal(3, records);
        Assert.Equal(["3", "4"], rows[2]);
    }

    [Fact]
    public void ReadRecord_BlankLines_AreNoRecordsButAllEmptyFieldsAre()
    {
        var rows = ReadAll("h1\th2\n\n\n1\t2\n\t\n3\t4\n", out var records);

        Assert.Equal(4, records);
        Assert.Equal(["", ""], rows[2]);
        Assert.Equal(["3", "4"], rows[3]);
    }

    [Fact]
    public void ReadRecord_QuoteInsideUnquotedField_IsLiteral()
    {
        var rows = ReadAll("a\n5\" tall\n", out _);

        Assert.Equal("5\" tall", rows[1][0]);
    }

    [Fact]
    public void ReadRecord_UnclosedQuote_FailsNamingTheRecord()
    {
        var ex = Assert.Throws<InvalidDataException>(() => ReadAll("a\tb\n1\t2\n\"open\tfield\n", out _));

        Assert.Contains("record 3", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadRecord_FieldOverLimit_Fails()
    {
        var ex = Assert.Throws<InvalidDataException>(() => ReadAll("a\n" + new string('x', 50) + "\n", out _, maxFieldChars: 10));

        Assert.Contains("longer than 10", ex.Message, StringComparison.Ordinal);
    }
}
