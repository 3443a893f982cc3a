using System.Text;
using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Processing.Media;
using LxAnnotate.Hub.Processing.Pipeline;
using LxAnnotate.Hub.Processing.Tools;
using LxAnnotate.Hub.Processing.Worker;
using LxAnnotate.Hub.Tests.Support;
using LxAnnotate.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace LxAnnotate.Hub.Tests.Processing.Media;

public sealed class FfprobeVideoProbeTests : IDisposable
{
    private readonly TempDirectory dir = new();
    private readonly FfprobeVideoProbe probe = new(Settings(), Runner());

    [Fact]
    public async Task ProbeAsync_GeneratedClip_ReportsItsFacts()
    {
        var clip = await MediaFixtures.VideoAsync(dir.Path, "clip.mp4", width: 320, height: 180, fps: 25, seconds: 2, audio: true);

        var info = await probe.ProbeAsync(clip, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(320, info.Width);
        Assert.Equal(180, info.Height);
        Assert.Equal(25, info.Fps);
        Assert.InRange(info.DurationSeconds, 1.9, 2.1);
        Assert.Equal(50, info.FrameCount);
        Assert.Equal("h264", info.Codec);
        Assert.Equal("yuv420p", info.PixelFormat);
        Assert.NotNull(info.BitRate);
        Assert.True(info.BitRate > 0);
    }

    [Fact]
    public async Task ProbeAsync_FullHdAt30Fps_ReportsSizeAndRate()
    {
        var clip = await MediaFixtures.VideoAsync(dir.Path, "hd.mp4", width: 1920, height: 1080, fps: 30, seconds: 0.5);

        var info = await probe.ProbeAsync(clip, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal((1920, 1080, 30.0, 15L), (info.Width, info.Height, info.Fps, info.FrameCount));
    }

    [Fact]
    public async Task ProbeAsync_TruncatedFile_MediaIntegrityFailedNotRetried()
    {
        var file = await MediaFixtures.TruncatedAsync(dir.Path, "cut.mp4");

        var ex = await Assert.ThrowsAsync<ProcessingFailedException>(() => probe.ProbeAsync(file, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60)));

        Assert.Equal(UploadJobErrorCode.MediaIntegrityFailed, ex.Code);
        Assert.False(ex.Retryable);
        Assert.StartsWith("the file is not a readable video", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(dir.Path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProbeAsync_AudioOnly_NoVideoStream()
    {
        var file = await MediaFixtures.AudioOnlyAsync(dir.Path, "sound.m4a");

        var ex = await Assert.ThrowsAsync<ProcessingFailedException>(() => probe.ProbeAsync(file, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60)));

        Assert.Equal(UploadJobErrorCode.MediaIntegrityFailed, ex.Code);
        Assert.Equal("the file has no video stream (audio only)", ex.Message);
    }

    [Fact]
    public async Task ProbeAsync_RandomBytes_MediaIntegrityFailed()
    {
        var file = Path.Combine(dir.Path, "noise.mp4");
        await File.WriteAllBytesAsync(file, System.Security.Cryptography.RandomNumberGenerator.GetBytes(4096));

        var ex = await Assert.ThrowsAsync<ProcessingFailedException>(() => probe.ProbeAsync(file, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60)));

        Assert.Equal(UploadJobErrorCode.MediaIntegrityFailed, ex.Code);
    }

    [Fact]
    public async Task ProbeAsync_ToolHangs_TimesOutAsRetryableFailure()
    {
        // An ffprobe that never answers: the probe gives up after the tool timeout and the job is retried.
        var tools = await FakeFfprobeAsync("hung-tools", "exec sleep 30");
        var clip = await MediaFixtures.VideoAsync(dir.Path, "clip.mp4");
        var hung = new FfprobeVideoProbe(Settings() with { ToolTimeout = TimeSpan.FromSeconds(1), FfmpegDirectory = tools }, Runner());

        var ex = await Assert.ThrowsAsync<ProcessingFailedException>(() => hung.ProbeAsync(clip, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20)));

        Assert.Equal(UploadJobErrorCode.ProcessingFailed, ex.Code);
        Assert.True(ex.Retryable);
        Assert.Contains("did not finish within 1 s", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProbeAsync_ToolRunsUnderMemoryAndCpuLimits()
    {
        // An ffprobe that reports its own rlimits and fails: the limits were set before it started.
        var tools = await FakeFfprobeAsync("limit-tools", "echo \"limits: $(ulimit -v) KiB $(ulimit -t) s\" >&2\nexit 1");
        var clip = Path.Combine(dir.Path, "any.mp4");
        await File.WriteAllBytesAsync(clip, [1, 2, 3]);
        var bounded = new FfprobeVideoProbe(Settings() with { ToolTimeout = TimeSpan.FromSeconds(45), FfmpegDirectory = tools }, Runner());

        var ex = await Assert.ThrowsAsync<ProcessingFailedException>(() => bounded.ProbeAsync(clip, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20)));

        Assert.Equal("the file is not a readable video: 2097152 KiB 45 s", ex.Message);
        Assert.Equal(UploadJobErrorCode.MediaIntegrityFailed, ex.Code);
    }

    [Fact]
    public async Task ProbeAsync_ToolCrashes_RetryableProcessingFailure()
    {
        var tools = await FakeFfprobeAsync("crash-tools", "kill -SEGV $$");
        var clip = await MediaFixtures.VideoAsync(dir.Path, "clip.mp4");
        var crashing = new FfprobeVideoProbe(Settings() with { FfmpegDirectory = tools }, Runner());

        var ex = await Assert.ThrowsAsync<ProcessingFailedException>(() => crashing.ProbeAsync(clip, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20)));

        Assert.Equal(UploadJobErrorCode.ProcessingFailed, ex.Code);
        Assert.True(ex.Retryable);
        Assert.StartsWith("ffprobe ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_NoRealFrameRate_FallsBackToAverageAndCountsFromDuration()
    {
        // Durations as the probe asks ffprobe for them (-sexagesimal, the form FFMpegCore's analysis reads).
        var info = FfprobeVideoProbe.Describe(Encoding.UTF8.GetBytes("""
            {"streams":[{"index":0,"codec_type":"video","codec_name":"hevc","width":1280,"height":720,"pix_fmt":"yuv420p10le",
              "r_frame_rate":"0/0","avg_frame_rate":"30000/1001","duration":"0:00:10.010000"}],
             "format":{"duration":"0:00:10.010000","bit_rate":"800000"}}
            """));

        Assert.Equal(new VideoMediaInfo(1280, 720, 10.01, 29.97, 300, "hevc", "yuv420p10le", 800000), info);
    }

    [Fact]
    public void Describe_CoverPictureOnly_NoVideoStream()
    {
        var ex = Assert.Throws<ProcessingFailedException>(() => FfprobeVideoProbe.Describe(Encoding.UTF8.GetBytes("""
            {"streams":[{"codec_type":"audio","codec_name":"aac"},
              {"codec_type":"video","codec_name":"mjpeg","width":600,"height":600,"r_frame_rate":"90000/1","disposition":{"attached_pic":1}}],
             "format":{"duration":"3.0"}}
            """)));

        Assert.Equal(("the file has no video stream (audio only)", UploadJobErrorCode.MediaIntegrityFailed), (ex.Message, ex.Code));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"streams\":[{\"codec_type\":\"video\",\"width\":0,\"height\":0,\"r_frame_rate\":\"25/1\"}],\"format\":{\"duration\":\"1\"}}")]
    [InlineData("{\"streams\":[{\"codec_type\":\"video\",\"width\":64,\"height\":64,\"r_frame_rate\":\"0/0\",\"avg_frame_rate\":\"0/0\"}],\"format\":{\"duration\":\"1\"}}")]
    [InlineData("{\"streams\":[{\"codec_type\":\"video\",\"width\":64,\"height\":64,\"r_frame_rate\":\"25/1\"}],\"format\":{}}")]
    public void Describe_UnusableOutput_MediaIntegrityFailed(string json)
    {
        var ex = Assert.Throws<ProcessingFailedException>(() => FfprobeVideoProbe.Describe(Encoding.UTF8.GetBytes(json)));

        Assert.Equal(UploadJobErrorCode.MediaIntegrityFailed, ex.Code);
        Assert.False(ex.Retryable);
    }

    public void Dispose() => dir.Dispose();

    // A folder holding an executable "ffprobe" shell script with <paramref name="body"/>.
    private async Task<string> FakeFfprobeAsync(string folder, string body)
    {
        var tools = Directory.CreateDirectory(Path.Combine(dir.Path, folder)).FullName;
        var fake = Path.Combine(tools, "ffprobe");
        await File.WriteAllTextAsync(fake, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return tools;
    }

    internal static ToolRunner Runner() => new(NullLogger<ToolRunner>.Instance);

    internal static WorkerSettings Settings() =>
        new(TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(30), null, "test-worker");
}
