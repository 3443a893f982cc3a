using LxAnnotate.Hub.Processing.Masking;
using LxAnnotate.Hub.Processing.Media;
using LxAnnotate.Hub.Processing.Ocr;

namespace LxAnnotate.Hub.Tests.Processing.Media;

/// <summary>The ffmpeg command lines FFMpegCore builds for the frame grabs and the masked encode.</summary>
public sealed class FfmpegArgumentsTests
{
    [Fact]
    public void GrabArguments_TwoTimes_OneSeekingInputAndOneGrayFramePerTime()
    {
        var text = VideoFrames.GrabArguments("/v/in.mp4", [TimeSpan.Zero, TimeSpan.FromSeconds(2.5)], ["/w/f0.pgm", "/w/f1.pgm"]);

        Assert.Equal(
            "-nostdin -v error -ss 00:00:00.000 -i \"/v/in.mp4\" -ss 00:00:02.500 -i \"/v/in.mp4\" "
            + "-map 0:v:0 -frames:v 1 -pix_fmt gray -f image2 -update 1 \"/w/f0.pgm\" "
            + "-map 1:v:0 -frames:v 1 -pix_fmt gray -f image2 -update 1 \"/w/f1.pgm\"",
            text);
    }

    [Fact]
    public void EncodeArguments_Olympus1080p_MasksBandsAndDropsMetadata()
    {
        var text = VideoMasker.EncodeArguments("/v/in.mp4", "/o/out.mp4", MaskFilter.EncodeFilters(OverlayLayouts.OlympusCv1500, 1920, 1080));

        // Keeps x 550…1899 of the endoscope picture, the rest black: what the boxes of MaskFilterTests paint (FFMpegCore joins filters with ", ").
        Assert.StartsWith("-nostdin -v error -i \"/v/in.mp4\" -map 0:v:0 -map 0:a? -map_metadata -1 -map_chapters -1 -vf \"crop=1350:1080:550:0, pad=1920:1080:550:0:black\" ",
            text, StringComparison.Ordinal);
        Assert.EndsWith("-c:v libx264 -preset ultrafast -crf 20 -pix_fmt yuv420p -c:a copy -movflags faststart -f mp4 \"/o/out.mp4\" -y", text, StringComparison.Ordinal);
    }

    [Fact]
    public void EncodeArguments_SelfCheckKeyFramesAndPreviousEncoder_ForcedKeyFramesAndThatPreset()
    {
        var text = VideoMasker.EncodeArguments("/v/in.mp4", "/o/out.mp4", [], MaskingEncoder.Previous,
            [TimeSpan.Zero, TimeSpan.FromSeconds(1.6), TimeSpan.FromSeconds(40.04)]);

        Assert.EndsWith("-c:v libx264 -preset veryfast -crf 18 -force_key_frames 0,1.6,40.04 -pix_fmt yuv420p -c:a copy -movflags faststart -f mp4 \"/o/out.mp4\" -y",
            text, StringComparison.Ordinal);
    }

    [Fact]
    public void EncodeArguments_NothingToPaint_NoFilter()
    {
        var text = VideoMasker.EncodeArguments("/v/in.mp4", "/o/out.mp4", []);

        Assert.DoesNotContain("-vf", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/v/a\"b.mp4")]
    [InlineData("/v/ab\\")]
    public void GrabArguments_PathThatWouldBreakQuoting_Refused(string path) =>
        Assert.Throws<ArgumentException>(() => VideoFrames.GrabArguments(path, [TimeSpan.Zero], ["/w/f0.pgm"]));
}
