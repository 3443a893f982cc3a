using LxAnnotate.Hub.Processing.Media;
using LxAnnotate.Hub.Processing.Pipeline;
using LxAnnotate.Hub.Processing.Worker;
using LxAnnotate.Shared.Domain;
using LxAnnotate.TestSupport;

namespace LxAnnotate.Hub.Tests.Processing;

public sealed class FfprobeVideoProbeTests : IDisposable
{
    private readonly TempDirectory dir = new();
    private readonly FfprobeVideoProbe probe = new(Settings());

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
        var tools = Directory.CreateDirectory(Path.Combine(dir.Path, "hung-tools")).FullName;
        var fake = Path.Combine(tools, "ffprobe");
        await File.WriteAllTextAsync(fake, "#!/bin/sh\nexec sleep 30\n");
        File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var clip = await MediaFixtures.VideoAsync(dir.Path, "clip.mp4");
        var hung = new FfprobeVideoProbe(Settings() with { ToolTimeout = TimeSpan.FromSeconds(1), FfmpegDirectory = tools });

        var ex = await Assert.ThrowsAsync<ProcessingFailedException>(() => hung.ProbeAsync(clip, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20)));

        Assert.Equal(UploadJobErrorCode.ProcessingFailed, ex.Code);
        Assert.True(ex.Retryable);
        Assert.Contains("did not finish within 1 s", ex.Message, StringComparison.Ordinal);
    }

    public void Dispose() => dir.Dispose();

    internal static WorkerSettings Settings() =>
        new(TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(30), null, "test-worker");
}
