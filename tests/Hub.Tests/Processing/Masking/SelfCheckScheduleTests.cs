using LxAnnotate.Hub.Processing.Masking;
using LxAnnotate.Hub.Processing.Media;

namespace LxAnnotate.Hub.Tests.Processing.Masking;

/// <summary>Where the self-check reads the masked video, and where the encode puts keyframes for it.</summary>
public sealed class SelfCheckScheduleTests
{
    [Fact]
    public void For_48sAt25Fps_SixFramesOnFrameTimesGrabbedHalfAFrameLater()
    {
        var points = SelfCheckSchedule.For(new VideoShape(1920, 1080, TimeSpan.FromSeconds(48), 25), VideoMasker.SelfCheckFrames);

        Assert.Equal(6, points.Count);
        Assert.Equal(new SelfCheckPoint(TimeSpan.Zero, TimeSpan.Zero), points[0]);
        Assert.Equal([0.0, 8, 16, 24, 32, 40], points.Select(p => p.KeyFrame.TotalSeconds));
        Assert.All(points.Skip(1), p => Assert.Equal(p.KeyFrame + TimeSpan.FromMilliseconds(20), p.Grab));
    }

    [Fact]
    public void For_OddFrameRate_KeyFramesOnFrameBoundaries()
    {
        var points = SelfCheckSchedule.For(new VideoShape(1920, 1080, TimeSpan.FromSeconds(10), 30000.0 / 1001), 6);

        Assert.All(points, p =>
        {
            var frame = p.KeyFrame.TotalSeconds * 30000 / 1001;
            // TimeSpan keeps 100 ns ticks: on the frame to a thousandth of a frame, which ffmpeg's rounding to the nearest frame takes.
            Assert.Equal(Math.Round(frame), frame, 3);
            Assert.True(p.Grab >= p.KeyFrame);
        });
    }

    [Fact]
    public void For_OneFrameVideo_OnlyTheFirstFrameAtZero()
    {
        var points = SelfCheckSchedule.For(new VideoShape(640, 480, TimeSpan.FromSeconds(0.04), 25), 6);

        Assert.Equal([new SelfCheckPoint(TimeSpan.Zero, TimeSpan.Zero)], points);
    }

    [Fact]
    public void For_UnknownFrameRate_TheSampleTimesThemselves()
    {
        var points = SelfCheckSchedule.For(new VideoShape(640, 480, TimeSpan.FromSeconds(12), 0), 6);

        Assert.Equal(VideoFrames.SampleTimes(TimeSpan.FromSeconds(12), 6), points.Select(p => p.KeyFrame));
        Assert.All(points, p => Assert.Equal(p.KeyFrame, p.Grab));
    }
}
