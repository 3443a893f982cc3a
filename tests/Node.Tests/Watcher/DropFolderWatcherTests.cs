using LxAnnotate.Node.Outbox;
using LxAnnotate.Node.Tests.Support;

namespace LxAnnotate.Node.Tests.Watcher;

/// <summary>The watcher as a running service, on real folders and the real clock.</summary>
public sealed class DropFolderWatcherTests
{
    [Fact]
    public async Task StartAsync_FileWrittenInPieces_TakenOnlyAfterItStopsGrowing()
    {
        await using var harness = new WatcherHarness();
        await harness.StartAsync();
        var path = harness.Video("colonoscopy.mp4");
        var piece = new byte[4096];
        Random.Shared.NextBytes(piece);
        DropBytes.Mp4.CopyTo(piece, 0);

        await using (var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read))
        {
            for (var i = 0; i < 20; i++)
            {
                await stream.WriteAsync(piece);
                await stream.FlushAsync();
                Assert.Equal(0, harness.Outbox.Calls);
                await Task.Delay(50);
            }
        }

        await Eventually.TrueAsync(() => harness.ArtifactTaken("colonoscopy.mp4"), "the finished file to be taken");
        Assert.Equal(20 * piece.Length, new FileInfo(harness.Outbox.Admitted("colonoscopy.mp4")).Length);
        var artifact = Assert.Single(harness.Outbox.Artifacts);
        Assert.Equal(path, artifact.SourcePath);
        Assert.Equal("video/mp4", artifact.ContentType);
        Assert.Equal("watcher.video_import", artifact.Entrypoint);
        Assert.Null(artifact.CenterKey);
        Assert.Equal("node-test", artifact.SourceSystem);
        Assert.Null(artifact.SidecarPath);
        Assert.Null(artifact.ExpectedSha256);
    }

    [Fact]
    public async Task StartAsync_PartFileRenamedToFinalName_TakenOnceUnderFinalName()
    {
        await using var harness = new WatcherHarness();
        await harness.StartAsync();
        var part = harness.Video("procedure.mp4.part");
        await File.WriteAllBytesAsync(part, new byte[1000]);

        await harness.SettleAsync();
        Assert.Equal(0, harness.Outbox.Calls);
        Assert.True(File.Exists(part));

        File.Move(part, harness.Video("procedure.mp4"));
        await Eventually.TrueAsync(() => harness.ArtifactTaken("procedure.mp4"), "the renamed file to be taken");
        await harness.SettleAsync();
        var artifact = Assert.Single(harness.Outbox.Artifacts);
        Assert.Equal(harness.Video("procedure.mp4"), artifact.SourcePath);
    }

    [Fact]
    public async Task StartAsync_HiddenLockDownloadAndSubfolderFiles_NeverTaken()
    {
        await using var harness = new WatcherHarness();
        string[] ignored =
        [
            ".hidden.mp4", "~$report.mp4", "recording.lock", "RECORDING.LOCK", "clip.mp4.crdownload", "clip2.mp4.download",
            "clip3.mp4.tmp", "clip4.mp4.partial", "clip5.tmp.mp4", "clip6.part.3.mp4",
        ];
        foreach (var name in ignored)
        {
            await File.WriteAllTextAsync(harness.Video(name), "x");
        }

        Directory.CreateDirectory(harness.Video("nested"));
        await File.WriteAllTextAsync(Path.Combine(harness.Video("nested"), "inner.mp4"), "x");
        await harness.StartAsync();
        await File.WriteAllBytesAsync(harness.Video("sentinel.mp4"), DropBytes.Mp4);

        await Eventually.TrueAsync(() => harness.ArtifactTaken("sentinel.mp4"), "the sentinel file to be taken");
        await harness.SettleAsync();
        Assert.Single(harness.Outbox.Artifacts);
        foreach (var name in ignored)
        {
            Assert.True(File.Exists(harness.Video(name)), name);
        }

        Assert.True(File.Exists(Path.Combine(harness.Video("nested"), "inner.mp4")));
        Assert.Empty(Directory.GetFiles(harness.Paths.QuarantineDir));
    }

    [Fact]
    public async Task StartAsync_TwoHundredFilesAtOnce_EachTakenExactlyOnce()
    {
        await using var harness = new WatcherHarness();
        await harness.StartAsync();
        for (var i = 0; i < 200; i++)
        {
            await File.WriteAllTextAsync(harness.Report($"report-{i:D3}.pdf"), $"%PDF-1.7 {i}");
        }

        await Eventually.TrueAsync(() => harness.Outbox.Artifacts.Count >= 200, "all 200 files to be taken", TimeSpan.FromSeconds(30));
        await harness.SettleAsync();
        Assert.Equal(200, harness.Outbox.Calls);
        Assert.Equal(200, harness.Outbox.Artifacts.Select(a => a.SourcePath).Distinct(StringComparer.Ordinal).Count());
        Assert.All(harness.Outbox.Artifacts, a => Assert.Equal(("application/pdf", "watcher.report_import"), (a.ContentType, a.Entrypoint)));
        Assert.Empty(Directory.GetFiles(harness.Paths.ReportImport));
    }

    [Fact]
    public async Task StartAsync_FilePresentBeforeStart_Taken()
    {
        await using var harness = new WatcherHarness();
        await File.WriteAllTextAsync(harness.Report("waiting.pdf"), "%PDF-1.7");

        await harness.StartAsync();

        await Eventually.TrueAsync(() => harness.ArtifactTaken("waiting.pdf"), "the pre-existing file to be taken");
    }

    [Theory]
    [InlineData("a.MP4", "mp4", "video/mp4")]
    [InlineData("a.avi", "avi", "video/x-msvideo")]
    [InlineData("a.MOV", "quicktime", "video/quicktime")]
    [InlineData("a.mkv", "matroska", "video/x-matroska")]
    [InlineData("a.webm", "webm", "video/webm")]
    [InlineData("a.m4v", "m4v", "video/mp4")]
    [InlineData("a.mov", "mp4", "video/mp4")]
    public async Task StartAsync_VideoFile_ContentTypeFromItsBytes(string name, string bytes, string contentType)
    {
        await using var harness = new WatcherHarness();
        await harness.StartAsync();
        await File.WriteAllBytesAsync(harness.Video(name), bytes switch
        {
            "mp4" => DropBytes.Mp4,
            "avi" => DropBytes.Avi,
            "quicktime" => DropBytes.QuickTime,
            "matroska" => DropBytes.Matroska,
            "webm" => DropBytes.WebM,
            _ => DropBytes.M4v,
        });

        await Eventually.TrueAsync(() => harness.ArtifactTaken(name), "the video to be taken");
        Assert.Equal(contentType, Assert.Single(harness.Outbox.Artifacts).ContentType);
    }

    [Fact]
    public async Task StartAsync_DuplicateOutcome_LoggedAndNotQuarantined()
    {
        await using var harness = new WatcherHarness();
        harness.Outbox.Outcome = AdmitOutcome.Duplicate;
        await harness.StartAsync();
        await File.WriteAllBytesAsync(harness.Video("again.mp4"), DropBytes.Mp4);

        await Eventually.TrueAsync(() => harness.Logs.Lines.Any(l => l.EventId == 4203), "the duplicate to be logged");
        Assert.Equal(1, harness.Outbox.Calls);
        Assert.Empty(Directory.GetFiles(harness.Paths.QuarantineDir));
    }

    [Fact]
    public async Task StopAsync_Running_StopsWithinTimeout()
    {
        await using var harness = new WatcherHarness(s => s with { PollInterval = TimeSpan.FromHours(1) });
        await harness.StartAsync();
        await Task.Delay(100);

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await harness.Watcher.StopAsync(stop.Token);

        Assert.True(harness.Watcher.ExecuteTask!.IsCompleted);
        Assert.False(harness.Watcher.ExecuteTask.IsFaulted);
    }

    [Fact]
    public async Task StartAsync_LongPollInterval_EventStillNudgesScan()
    {
        await using var harness = new WatcherHarness(s => s with { PollInterval = TimeSpan.FromMinutes(10) });
        await harness.StartAsync();
        await Task.Delay(200);

        await File.WriteAllBytesAsync(harness.Video("evented.mp4"), DropBytes.Mp4);

        // Found by the event, and taken at the moment it becomes stable: far sooner than the poll.
        await Eventually.TrueAsync(() => harness.ArtifactTaken("evented.mp4"), "the file to be taken after an event", TimeSpan.FromSeconds(10));
    }
}
