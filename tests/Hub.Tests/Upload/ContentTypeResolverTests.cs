using System.Text;
using LxAnnotate.Shared.Sniffing;

namespace LxAnnotate.Hub.Tests.Upload;

/// <summary>
/// The original API's type decision (libmagic on the first 2048 bytes, the file name only when libmagic answers
/// <c>application/octet-stream</c>). The expected libmagic answers were checked with <c>file --mime-type</c>
/// (file 5.44) on the same bytes when these tests were written.
/// </summary>
public sealed class ContentTypeResolverTests
{
    [Theory]
    [InlineData("clip.mp4", "video/mp4")]
    [InlineData("CLIP.M4V", "video/mp4")]
    [InlineData("scan.mov", "video/quicktime")]
    [InlineData("scan.qt", "video/quicktime")]
    [InlineData("old.avi", "video/x-msvideo")]
    [InlineData("old.wmv", "video/x-ms-wmv")]
    [InlineData("report.PDF", "application/pdf")]
    public void Resolve_UnclassifiableBinaryWithAcceptedName_TakesTheTypeFromTheName(string name, string expected)
    {
        // libmagic: application/octet-stream.
        var decision = ContentTypeResolver.Resolve(Pattern(), 4096, name);

        Assert.Equal(expected, decision.ContentType);
    }

    [Theory]
    [InlineData("data.bin")]
    [InlineData("noextension")]
    [InlineData(null)]
    public void Resolve_UnclassifiableBinaryWithOtherName_IsUndetermined(string? name)
    {
        var decision = ContentTypeResolver.Resolve(Pattern(), 4096, name);

        Assert.Null(decision.ContentType);
        Assert.Null(decision.Described);
    }

    [Fact]
    public void Resolve_TextNamedAsReport_StaysText()
    {
        // libmagic: text/plain, so the name is never asked.
        var decision = ContentTypeResolver.Resolve(Encoding.ASCII.GetBytes("just notes\f\tand a bell\a\x1b[0m"), 34, "report.pdf");

        Assert.Null(decision.ContentType);
        Assert.Equal("text/plain", decision.Described);
    }

    [Fact]
    public void Resolve_PngNamedAsVideo_StaysPng()
    {
        var decision = ContentTypeResolver.Resolve(Png(), 97, "clip.mp4");

        Assert.Null(decision.ContentType);
        Assert.Equal("image/png", decision.Described);
    }

    [Fact]
    public void Resolve_RealSignatureWinsOverTheName()
    {
        var decision = ContentTypeResolver.Resolve("%PDF-1.7\n"u8, 9, "clip.mp4");

        Assert.Equal("application/pdf", decision.ContentType);
    }

    [Theory]
    [InlineData(0x7F, false)]
    [InlineData(0x0E, false)]
    [InlineData(0x1A, false)]
    [InlineData(0x1C, false)]
    [InlineData(0x1B, true)]
    [InlineData(0x0B, true)]
    [InlineData(0x08, true)]
    [InlineData(0x80, true)]
    [InlineData(0x9F, true)]
    public void LooksLikeText_AgreesWithLibmagic(byte b, bool text)
    {
        // "abc<b> def" through `file --mime-type`: text/plain or application/octet-stream.
        Assert.Equal(text, OtherFormats.LooksLikeText([(byte)'a', (byte)'b', (byte)'c', b, (byte)' ', (byte)'d', (byte)'e', (byte)'f']));
    }

    /// <summary>4096 bytes of (i*37+11) mod 251: data libmagic cannot classify.</summary>
    internal static byte[] Pattern() => Enumerable.Range(0, 4096).Select(i => (byte)(((i * 37) + 11) % 251)).ToArray();

    /// <summary>A PNG signature and IHDR chunk (libmagic: image/png) followed by zeros.</summary>
    internal static byte[] Png() =>
    [
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
        0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x02, 0x00, 0x00, 0x00, 0x90, 0x77, 0x53,
        0xDE, .. new byte[64],
    ];
}
