using System.Text.RegularExpressions;
using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Processing.Media;
using LxAnnotate.Hub.Processing.Ocr;
using LxAnnotate.Hub.Processing.Pipeline;
using LxAnnotate.Hub.Processing.Worker;
using LxAnnotate.Hub.Tests.Support;
using LxAnnotate.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace LxAnnotate.Hub.Tests.Processing.Media;

/// <summary>
/// The video-file defects of issue 21: a one-frame video must be read, a video of which no frame decodes and a
/// cut-off MP4 with its index in front must fail before OCR and masking, and no detail may carry ffmpeg's
/// memory addresses.
/// </summary>
public sealed partial class ShortAndBrokenVideoTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);
    private readonly TempDirectory dir = new();
    private readonly FfprobeVideoProbe probe = new(FfprobeVideoProbeTests.Settings(), FfprobeVideoProbeTests.Runner());

    [Fact]
    public async Task GrabGrayAsync_OneFrameVideo_ReadsItsFrame()
    {
        var video = await MediaFixtures.OneFrameAsync(dir.Path, "one.mp4");
        var services = new ProcessingServices();
        var info = await services.Frames.ProbeAsync(video, CancellationToken.None).WaitAsync(Timeout);

        var images = await services.Frames.GrabGrayAsync(video, VideoFrames.SampleTimes(info.Duration, OverlayReaderOptions.Default.MaxFrames), dir.Path,
            CancellationToken.None).WaitAsync(Timeout);

        var image = Assert.Single(images, i => i is not null);
        Assert.Equal((1920, 1080), (image!.Width, image.Height));
    }

    [Fact]
    public async Task ReadAsync_OneFrameVideo_CountsTheFrameAsRead()
    {
        var video = await MediaFixtures.OneFrameAsync(dir.Path, "one.mp4");
        var services = new ProcessingServices();

        var reading = await services.Reader.ReadAsync(video, OverlayLayouts.OlympusCv1500, OverlayReaderOptions.Default, CancellationToken.None).WaitAsync(Timeout);

        Assert.Equal(1, reading.FramesRead);
    }

    [Fact]
    public async Task ProbeAsync_OneFrameVideo_PassesTheDecodeCheck()
    {
        var video = await MediaFixtures.OneFrameAsync(dir.Path, "one.mp4");

        var info = await probe.ProbeAsync(video, CancellationToken.None).WaitAsync(Timeout);

        Assert.Equal((1920, 1080, 1L), (info.Width, info.Height, info.FrameCount));
    }

    [Fact]
    public async Task ProbeAsync_NoDecodableFrame_MediaIntegrityFailed()
    {
        var video = await MediaFixtures.NoDecodableFrameAsync(dir.Path, "zeroed.mp4");

        var ex = await Assert.ThrowsAsync<ProcessingFailedException>(() => probe.ProbeAsync(video, CancellationToken.None).WaitAsync(Timeout));

        Assert.Equal((UploadJobErrorCode.MediaIntegrityFailed, false), (ex.Code, ex.Retryable));
        Assert.Contains("no frame", ex.Message, StringComparison.Ordinal);
        AssertNoMemoryAddress(ex.Message);
    }

    [Fact]
    public async Task ProbeAsync_FrontIndexTruncated_MediaIntegrityFailedNamingBothDurations()
    {
        var video = await MediaFixtures.FrontIndexTruncatedAsync(dir.Path, "cut.mp4");

        var ex = await Assert.ThrowsAsync<ProcessingFailedException>(() => probe.ProbeAsync(video, CancellationToken.None).WaitAsync(Timeout));

        Assert.Equal((UploadJobErrorCode.MediaIntegrityFailed, false), (ex.Code, ex.Retryable));
        Assert.Contains("truncated", ex.Message, StringComparison.Ordinal);
        Assert.Contains("10.0 s", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(dir.Path, ex.Message, StringComparison.Ordinal);
        AssertNoMemoryAddress(ex.Message);
    }

    [Fact]
    public async Task ProbeAsync_StreamStartingLate_WholeVideoNotTakenForTruncated()
    {
        // MPEG-TS timestamps start near 1.4 s, here moved on by 30 s: the frame data is compared from the stream's start.
        var video = Path.Combine(dir.Path, "late.ts");
        var made = await ProcessRunner.RunAsync("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25:duration=6",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-output_ts_offset", "30", "-f", "mpegts", video],
            new Dictionary<string, string?>(), Timeout);
        Assert.True(made.ExitCode == 0, made.StandardError);

        var info = await probe.ProbeAsync(video, CancellationToken.None).WaitAsync(Timeout);

        Assert.InRange(info.DurationSeconds, 5.5, 6.5);
    }

    [Fact]
    public async Task ProbeAsync_CaptureCutMidGop_FirstKeyframeDecodes()
    {
        // An MPEG-TS capture cut at an arbitrary packet: its first frames cannot decode until the next keyframe (4 s GOP).
        var whole = Path.Combine(dir.Path, "gop.ts");
        var made = await ProcessRunner.RunAsync("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25:duration=12",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", "100", "-f", "mpegts", whole],
            new Dictionary<string, string?>(), Timeout);
        Assert.True(made.ExitCode == 0, made.StandardError);
        var bytes = await File.ReadAllBytesAsync(whole);
        var video = Path.Combine(dir.Path, "mid-gop.ts");
        await File.WriteAllBytesAsync(video, bytes[(188 * ((bytes.Length / 188) / 5))..]);

        var info = await probe.ProbeAsync(video, CancellationToken.None).WaitAsync(Timeout);

        Assert.InRange(info.DurationSeconds, 8, 11);
    }

    [Fact]
    public async Task ProbeAsync_MissingIndex_DetailWithoutMemoryAddresses()
    {
        // ffprobe says "[mov,mp4,m4a,3gp,3g2,mj2 @ 0x55cd1d30c180] moov atom not found": the address is noise.
        var file = await MediaFixtures.TruncatedAsync(dir.Path, "cut.mp4");

        var ex = await Assert.ThrowsAsync<ProcessingFailedException>(() => probe.ProbeAsync(file, CancellationToken.None).WaitAsync(Timeout));

        Assert.StartsWith("the file is not a readable video", ex.Message, StringComparison.Ordinal);
        Assert.Contains("moov atom not found", ex.Message, StringComparison.Ordinal);
        AssertNoMemoryAddress(ex.Message);
    }

    [Theory]
    [InlineData(TestDatabaseKind.Sqlite)]
    [InlineData(TestDatabaseKind.PostgreSql)]
    public async Task RunOnceAsync_FrontIndexTruncatedOrUndecodable_ErrorBeforeOcrAndMasking(TestDatabaseKind kind)
    {
        var anonymizer = new RecordingAnonymizer();
        await using var harness = await ProcessingHarness.CreateAsync(kind, s => s.AddSingleton<IVideoAnonymizer>(anonymizer));
        var cut = await harness.AddJobAsync(await File.ReadAllBytesAsync(await MediaFixtures.FrontIndexTruncatedAsync(dir.Path, "cut.mp4")));
        harness.Clock.Advance(TimeSpan.FromSeconds(1));
        var zeroed = await harness.AddJobAsync(await File.ReadAllBytesAsync(await MediaFixtures.NoDecodableFrameAsync(dir.Path, "zeroed.mp4")));

        for (var i = 0; i < 2; i++)
        {
            Assert.True(await harness.Services.GetRequiredService<ProcessingWorker>().RunOnceAsync(CancellationToken.None).WaitAsync(Timeout));
        }

        Assert.Empty(anonymizer.Calls);
        foreach (var id in new[] { cut, zeroed })
        {
            var job = await harness.JobAsync(id);
            Assert.Equal((UploadJobStatus.Error, UploadJobErrorCode.MediaIntegrityFailed), (job.Status, job.ErrorCode!.Value));
            AssertNoMemoryAddress(job.ErrorDetail!);
        }
        Assert.Contains("truncated", (await harness.JobAsync(cut)).ErrorDetail, StringComparison.Ordinal);
        Assert.DoesNotContain(harness.Logs.Lines, l => MemoryAddress().IsMatch(l.Message));
    }

    public void Dispose() => dir.Dispose();

    private static void AssertNoMemoryAddress(string text)
    {
        Assert.DoesNotMatch(MemoryAddress(), text);
        Assert.DoesNotContain(" @ ", text, StringComparison.Ordinal);
    }

    [GeneratedRegex("0x[0-9a-fA-F]{9,}")]
    private static partial Regex MemoryAddress();
}
