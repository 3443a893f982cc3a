using LxAnnotate.Hub.Processing.Tools;

namespace LxAnnotate.Hub.Tests.Processing.Tools;

public sealed class ToolErrorTextTests
{
    [Theory]
    [InlineData("[mov,mp4,m4a,3gp,3g2,mj2 @ 0x55cd1d30c180] moov atom not found\n/srv/x/in.mp4: Invalid data found when processing input\n", "moov atom not found")]
    [InlineData("/srv/lxa/storage/center/ab12.mp4: Invalid data found when processing input", "Invalid data found when processing input")]
    [InlineData("[h264 @ 0x560041634900] Invalid NAL unit size (0 > 5169).", "Invalid NAL unit size (0 > 5169).")]
    [InlineData("\n\n  \n", "fallback")]
    [InlineData(null, "fallback")]
    public void FirstReason_FfmpegStderr_ReasonWithoutPathOrAddress(string? stderr, string expected) =>
        Assert.Equal(expected, ToolErrorText.FirstReason(stderr, "fallback"));

    [Fact]
    public void WithoutAddresses_PrefixesAndBarePointers_Removed()
    {
        var text = ToolErrorText.WithoutAddresses("video anonymization: [NULL @ 0x559d019d7c00] missing picture; ctx 0x7ffde4a1b2c0 gone");

        Assert.Equal("video anonymization: missing picture; ctx gone", text);
    }

    [Fact]
    public void WithoutAddresses_SmallHexNumbers_Kept() =>
        Assert.Equal("stream 0, offset 0x11e5164: partial file", ToolErrorText.WithoutAddresses("stream 0, offset 0x11e5164: partial file"));
}
