using LxAnnotate.Node.SapImport;
using LxAnnotate.Node.Tests.Support;
using LxAnnotate.TestSupport;

namespace LxAnnotate.Node.Tests.SapImport;

public sealed class TableEncodingTests
{
    [Theory]
    [InlineData("utf-8-sig", "utf-8-sig", "Größe – €")]
    [InlineData("utf-8", "utf-8", "Größe – €")]
    [InlineData("windows-1252", "windows-1252", "Größe – €")]
    [InlineData("latin-1", "windows-1252", "Größe")]
    public void Detect_Encodings_InTheDocumentedOrder(string written, string detected, string text)
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("t.txt");
        File.WriteAllBytes(path, SapArchives.Encode(text, written));

        var (encoding, preamble, name) = TableEncoding.Detect(path);

        Assert.Equal(detected, name);
        Assert.Equal(written == "utf-8-sig" ? 3 : 0, preamble);
        Assert.Equal(text, encoding.GetString(File.ReadAllBytes(path)[preamble..]));
    }

    [Fact]
    public void Detect_ByteUndefinedInWindows1252_FallsBackToLatin1()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("t.txt");
        File.WriteAllBytes(path, [(byte)'a', 0x81, (byte)'b']);

        Assert.Equal("latin-1", TableEncoding.Detect(path).Name);
    }

    [Fact]
    public void Detect_Utf8SequenceSplitAcrossBufferBoundary_StaysUtf8()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("t.txt");
        var text = new string('a', (64 * 1024) - 1) + "ü";
        File.WriteAllBytes(path, SapArchives.Encode(text, "utf-8"));

        Assert.Equal("utf-8", TableEncoding.Detect(path).Name);
    }
}
