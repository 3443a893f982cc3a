using System.Text;
using LxAnnotate.Hub.Tests.Support;
using LxAnnotate.Shared.Sniffing;
using LxAnnotate.TestSupport;

namespace LxAnnotate.Hub.Tests.Upload;

public sealed class ContentSnifferTests
{
    /// <summary>Heads as a big-endian box size (or -1 for none) followed by Latin-1 text; "\\0" is a zero byte.</summary>
    public static TheoryData<int, string, string> Signatures() => new()
    {
        { -1, "%PDF-1.4\n%\u00e2\u00e3", ContentSniffer.Pdf },
        { 24, "ftypmp42\0\0\0\0mp42isom", ContentSniffer.Mp4 },
        { 32, "ftypisom\0\0\u0002\0isomiso2avc1mp41", ContentSniffer.Mp4 },
        { 20, "ftypqt  \0\0\u0002\0qt  ", ContentSniffer.QuickTime },
        { 8, "wide\0\0\0\u0010mdat", ContentSniffer.QuickTime },
        { 16, "moov\0\0\0\u0008trak", ContentSniffer.QuickTime },
        { 0, "mdat\0\0\0\0\0\0\0\0", ContentSniffer.QuickTime },
        { 16, "free\0\0\0\0\0\0\0\0", ContentSniffer.QuickTime },
        { -1, "RIFF\u0010\0\0\0AVI LIST", ContentSniffer.Avi },
    };

    [Theory]
    [MemberData(nameof(Signatures))]
    public void Detect_KnownSignature_ReturnsContentType(int boxSize, string rest, string expected)
    {
        var bytes = Head(boxSize, rest);

        Assert.Equal(expected, ContentSniffer.Detect(bytes, totalLength: 4096));
    }

    [Fact]
    public void Detect_FtypBoxLargerThanFile_ReturnsNull()
    {
        Assert.Null(ContentSniffer.Detect(Head(0x61626320, "ftypisom"), totalLength: 64));
    }

    [Fact]
    public void Detect_AsfGuid_ReturnsWmv()
    {
        byte[] head = [0x30, 0x26, 0xB2, 0x75, 0x8E, 0x66, 0xCF, 0x11, 0xA6, 0xD9, 0x00, 0xAA, 0x00, 0x62, 0xCE, 0x6C, 0x01, 0x02];

        Assert.Equal(ContentSniffer.Wmv, ContentSniffer.Detect(head, totalLength: 4096));
    }

    [Theory]
    [InlineData("just some notes, not a report")]
    [InlineData("abc free text that spells an atom name")]
    [InlineData("RIFF\x10\0\0\0WAVEfmt ")]
    [InlineData("PDF-1.4 without the percent sign")]
    [InlineData("")]
    [InlineData("\0\0\0")]
    public void Detect_OtherContent_ReturnsNull(string head)
    {
        Assert.Null(ContentSniffer.Detect(Encoding.Latin1.GetBytes(head), totalLength: 64));
    }

    [Fact]
    public async Task DetectFileAsync_PdfFile_ReadsHeadFromDisk()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("staged.part");
        await File.WriteAllBytesAsync(path, UploadContent.Pdf(10_000)).WaitAsync(HubTestHost.Timeout);

        var type = await ContentSniffer.DetectFileAsync(path, CancellationToken.None).WaitAsync(HubTestHost.Timeout);

        Assert.Equal(ContentSniffer.Pdf, type);
    }

    private static byte[] Head(int boxSize, string rest)
    {
        var text = Encoding.Latin1.GetBytes(rest);
        if (boxSize < 0)
        {
            return text;
        }

        var bytes = new byte[4 + text.Length];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bytes, boxSize);
        text.CopyTo(bytes, 4);
        return bytes;
    }
}
