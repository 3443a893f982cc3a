using System.Text;
using LxAnnotate.Node.Tests.Support;
using LxAnnotate.TestSupport;

namespace LxAnnotate.Node.Tests.Watcher;

/// <summary>
/// The watcher decides a file's type from its bytes, as <c>/api/upload/</c> does: what is not a video in
/// <c>video_import</c> (or not a PDF in <c>report_import</c>) goes to quarantine with its reason, never to the hub.
/// </summary>
public sealed class WatcherContentTests
{
    private static readonly DateTimeOffset Start = new(2025, 3, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan StableAfter = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task ScanOnceAsync_EmptyMp4_QuarantinedOnlyOnceItStayedEmptyForTheReadinessWait()
    {
        var clock = new ManualTimeProvider(Start);
        await using var harness = Harness(clock);
        await File.WriteAllBytesAsync(harness.Video("empty.mp4"), []);

        await harness.Watcher.ScanOnceAsync(CancellationToken.None);
        clock.Advance(StableAfter - TimeSpan.FromSeconds(1));
        await harness.Watcher.ScanOnceAsync(CancellationToken.None);
        Assert.False(harness.IsQuarantined("empty.mp4"));
        Assert.True(File.Exists(harness.Video("empty.mp4")));

        clock.Advance(TimeSpan.FromSeconds(1));
        await harness.Watcher.ScanOnceAsync(CancellationToken.None);

        Assert.True(harness.IsQuarantined("empty.mp4"));
        Assert.Equal("empty_file", harness.ReasonWhat("empty.mp4"));
        Assert.Contains("0 bytes", harness.ReasonWhy("empty.mp4"), StringComparison.Ordinal);
        Assert.Contains("video_import", harness.ReasonWhy("empty.mp4"), StringComparison.Ordinal);
        Assert.Equal(0, harness.Outbox.Calls);
    }

    [Fact]
    public async Task ScanOnceAsync_EmptyFileThenWritten_TakenNotQuarantined()
    {
        var clock = new ManualTimeProvider(Start);
        await using var harness = Harness(clock);
        var path = harness.Video("slow-copy.mp4");
        await File.WriteAllBytesAsync(path, []);
        await harness.Watcher.ScanOnceAsync(CancellationToken.None);

        // The copy tool created the file and starts writing before the readiness wait is over: its clock restarts.
        clock.Advance(StableAfter - TimeSpan.FromSeconds(2));
        await File.WriteAllBytesAsync(path, DropBytes.Mp4);
        await harness.Watcher.ScanOnceAsync(CancellationToken.None);
        clock.Advance(StableAfter - TimeSpan.FromSeconds(2));
        await harness.Watcher.ScanOnceAsync(CancellationToken.None);
        Assert.Equal(0, harness.Outbox.Calls);
        Assert.False(harness.IsQuarantined("slow-copy.mp4"));

        clock.Advance(TimeSpan.FromSeconds(2));
        await harness.Watcher.ScanOnceAsync(CancellationToken.None);
        Assert.True(harness.ArtifactTaken("slow-copy.mp4"));
        Assert.Empty(Directory.GetFiles(harness.Paths.QuarantineDir));
    }

    [Fact]
    public async Task ScanOnceAsync_TextRenamedMp4_QuarantinedAsTextKeptIntact()
    {
        var clock = new ManualTimeProvider(Start);
        await using var harness = Harness(clock);
        await File.WriteAllTextAsync(harness.Video("notes.mp4"), "Befund: unauffällig\nnot a video at all\n");

        await ScanUntilReadyAsync(harness, clock);

        Assert.True(harness.IsQuarantined("notes.mp4"));
        Assert.Equal("refused_content", harness.ReasonWhat("notes.mp4"));
        var why = harness.ReasonWhy("notes.mp4");
        Assert.Contains("text/plain", why, StringComparison.Ordinal);
        Assert.Contains("a video", why, StringComparison.Ordinal);
        Assert.Equal("Befund: unauffällig\nnot a video at all\n", await File.ReadAllTextAsync(harness.Quarantined("notes.mp4")));
        Assert.False(File.Exists(harness.Video("notes.mp4")));
        Assert.Equal(0, harness.Outbox.Calls);
    }

    [Fact]
    public async Task ScanOnceAsync_PdfNamedMp4InVideoFolder_QuarantinedAsPdf()
    {
        var clock = new ManualTimeProvider(Start);
        await using var harness = Harness(clock);
        await File.WriteAllBytesAsync(harness.Video("exam.mp4"), DropBytes.Pdf);

        await ScanUntilReadyAsync(harness, clock);

        Assert.Equal("refused_content", harness.ReasonWhat("exam.mp4"));
        Assert.Contains("application/pdf", harness.ReasonWhy("exam.mp4"), StringComparison.Ordinal);
        Assert.Equal(0, harness.Outbox.Calls);
    }

    [Fact]
    public async Task ScanOnceAsync_VideoNamedPdfInReportFolder_QuarantinedAsNotAPdf()
    {
        var clock = new ManualTimeProvider(Start);
        await using var harness = Harness(clock);
        await File.WriteAllBytesAsync(harness.Report("report.pdf"), DropBytes.Mp4);
        await File.WriteAllTextAsync(harness.Report("letter.pdf"), "Sehr geehrte Kollegen,\n");

        await ScanUntilReadyAsync(harness, clock);

        Assert.Equal("refused_content", harness.ReasonWhat("report.pdf"));
        Assert.Contains("video/mp4, not a PDF", harness.ReasonWhy("report.pdf"), StringComparison.Ordinal);
        Assert.Equal("refused_content", harness.ReasonWhat("letter.pdf"));
        Assert.Contains("text/plain, not a PDF", harness.ReasonWhy("letter.pdf"), StringComparison.Ordinal);
        Assert.Equal(0, harness.Outbox.Calls);
    }

    [Fact]
    public async Task ScanOnceAsync_UnclassifiableBinaryNamedMp4_TakenByItsNameAsRestDoes()
    {
        var clock = new ManualTimeProvider(Start);
        await using var harness = Harness(clock);

        // Data of no known format is where the original's upload API lets the name decide.
        await File.WriteAllBytesAsync(harness.Video("legacy.mp4"), Enumerable.Range(0, 4096).Select(i => (byte)((i * 37 + 11) % 251)).ToArray());

        await ScanUntilReadyAsync(harness, clock);

        Assert.Equal("video/mp4", Assert.Single(harness.Outbox.Artifacts).ContentType);
    }

    [Fact]
    public async Task ScanOnceAsync_RealMp4_TakenAsVideoMp4()
    {
        var clock = new ManualTimeProvider(Start);
        await using var harness = Harness(clock);
        var made = await ProcessRunner.RunAsync("ffmpeg",
            ["-nostdin", "-v", "error", "-f", "lavfi", "-i", "testsrc2=s=64x48:r=5:d=0.6", "-c:v", "libx264", "-pix_fmt", "yuv420p", harness.Video("clip.mp4")],
            new Dictionary<string, string?>(), TimeSpan.FromSeconds(60));
        Assert.True(made.ExitCode == 0, made.StandardError);

        await ScanUntilReadyAsync(harness, clock);

        var artifact = Assert.Single(harness.Outbox.Artifacts);
        Assert.Equal(harness.Video("clip.mp4"), artifact.SourcePath);
        Assert.Equal("video/mp4", artifact.ContentType);
        Assert.Empty(Directory.GetFiles(harness.Paths.QuarantineDir));
    }

    [Fact]
    public async Task ScanOnceAsync_TextInPreanonymizedFolder_StillTakenWithItsSidecar()
    {
        var clock = new ManualTimeProvider(Start);
        await using var harness = Harness(clock);
        await File.WriteAllTextAsync(harness.Preanonymized("export.json"), "{}");
        await File.WriteAllBytesAsync(harness.Preanonymized("export.txt"), Encoding.UTF8.GetBytes("pre-anonymized export\n"));

        await ScanUntilReadyAsync(harness, clock);

        Assert.Equal("text/plain", Assert.Single(harness.Outbox.Artifacts).ContentType);
    }

    private static WatcherHarness Harness(ManualTimeProvider clock) =>
        new(s => s with { StableAfter = StableAfter, PollInterval = TimeSpan.FromSeconds(5) }, clock);

    /// <summary>A scan that starts the readiness clock, then one after the wait.</summary>
    private static async Task ScanUntilReadyAsync(WatcherHarness harness, ManualTimeProvider clock)
    {
        await harness.Watcher.ScanOnceAsync(CancellationToken.None);
        clock.Advance(StableAfter);
        await harness.Watcher.ScanOnceAsync(CancellationToken.None);
    }
}
