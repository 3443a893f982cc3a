using LxAnnotate.Node.Files;
using LxAnnotate.Node.Sidecars;
using LxAnnotate.Node.Tests.Support;
using LxAnnotate.Node.Watcher;
using LxAnnotate.TestSupport;

namespace LxAnnotate.Node.Tests.Watcher;

/// <summary>Single scans on a hand-moved clock: the readiness and sidecar rules without real waiting.</summary>
public sealed class DropFolderWatcherScanTests
{
    private static readonly DateTimeOffset Start = new(2025, 3, 1, 8, 0, 0, TimeSpan.Zero);

    private static WatcherHarness Harness(ManualTimeProvider clock, TimeSpan? sidecarWait = null) =>
        new(s => s with { StableAfter = TimeSpan.FromSeconds(10), PollInterval = TimeSpan.FromSeconds(5), SidecarWait = sidecarWait ?? TimeSpan.FromMinutes(5) }, clock);

    [Fact]
    public async Task ScanOnceAsync_NewFile_WaitsStableAfterThenTakes()
    {
        var clock = new ManualTimeProvider(Start);
        await using var harness = Harness(clock);
        await File.WriteAllBytesAsync(harness.Video("a.mp4"), DropBytes.Mp4);

        var wait = await harness.Watcher.ScanOnceAsync(CancellationToken.None);
        Assert.Equal(0, harness.Outbox.Calls);
        Assert.Equal(TimeSpan.FromSeconds(5), wait);

        clock.Advance(TimeSpan.FromSeconds(9));
        wait = await harness.Watcher.ScanOnceAsync(CancellationToken.None);
        Assert.Equal(0, harness.Outbox.Calls);
        Assert.Equal(TimeSpan.FromSeconds(1), wait);

        clock.Advance(TimeSpan.FromSeconds(1));
        await harness.Watcher.ScanOnceAsync(CancellationToken.None);
        Assert.True(harness.ArtifactTaken("a.mp4"));
    }

    [Fact]
    public async Task ScanOnceAsync_FileGrowsBetweenScans_RestartsTheClock()
    {
        var clock = new ManualTimeProvider(Start);
        await using var harness = Harness(clock);
        var path = harness.Video("growing.mp4");
        await File.WriteAllBytesAsync(path, DropBytes.Mp4);
        await harness.Watcher.ScanOnceAsync(CancellationToken.None);

        clock.Advance(TimeSpan.FromSeconds(8));
        await File.AppendAllTextAsync(path, "more");
        await harness.Watcher.ScanOnceAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(8));
        await harness.Watcher.ScanOnceAsync(CancellationToken.None);
        Assert.Equal(0, harness.Outbox.Calls);

        clock.Advance(TimeSpan.FromSeconds(2));
        await harness.Watcher.ScanOnceAsync(CancellationToken.None);
        Assert.True(harness.ArtifactTaken("growing.mp4"));
    }

    [Fact]
    public async Task ScanOnceAsync_FileReplacedUnderSameName_RestartsTheClock()
    {
        var clock = new ManualTimeProvider(Start);
        await using var harness = Harness(clock);
        var path = harness.Report("r.pdf");
        await File.WriteAllTextAsync(path, "%PDF-1.7 same");
        await harness.Watcher.ScanOnceAsync(CancellationToken.None);
        Assert.True(NativeStat.TryLstat(path, out var first));

        // Same size and mtime (to the nanosecond, via touch -r), new inode: only the inode tells them apart.
        var replacement = harness.Temp.Combine("r.pdf");
        await File.WriteAllTextAsync(replacement, "%PDF-1.7 same");
        var touched = await ProcessRunner.RunAsync("touch", ["-m", "-r", path, replacement], new Dictionary<string, string?>(), TimeSpan.FromSeconds(10));
        Assert.Equal(0, touched.ExitCode);
        File.Move(replacement, path, overwrite: true);
        Assert.True(NativeStat.TryLstat(path, out var second));
        Assert.Equal(first.Signature with { Inode = second.Signature.Inode }, second.Signature);
        Assert.NotEqual(first.Signature.Inode, second.Signature.Inode);
        clock.Advance(TimeSpan.FromSeconds(6));
        await harness.Watcher.ScanOnceAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(6));
        await harness.Watcher.ScanOnceAsync(CancellationToken.None);
        Assert.Equal(0, harness.Outbox.Calls);

        clock.Advance(TimeSpan.FromSeconds(4));
        await harness.Watcher.ScanOnceAsync(CancellationToken.None);
        Assert.True(harness.ArtifactTaken("r.pdf"));
    }

    [Fact]
    public async Task ScanOnceAsync_MissingSidecar_QuarantinedOnlyAfterSidecarWait()
    {
        var clock = new ManualTimeProvider(Start);
        await using var harness = Harness(clock, TimeSpan.FromMinutes(5));
        await File.WriteAllTextAsync(harness.Preanonymized("x.txt"), "x");
        await harness.Watcher.ScanOnceAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(10));

        // Complete now: the sidecar wait starts here, not when the file first appeared.
        var wait = await harness.Watcher.ScanOnceAsync(CancellationToken.None);
        Assert.Equal(TimeSpan.FromSeconds(5), wait);
        clock.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        await harness.Watcher.ScanOnceAsync(CancellationToken.None);
        Assert.False(harness.IsQuarantined("x.txt"));

        clock.Advance(TimeSpan.FromSeconds(1));
        await harness.Watcher.ScanOnceAsync(CancellationToken.None);
        Assert.True(harness.IsQuarantined("x.txt"));
        Assert.Equal("missing_sidecar", harness.ReasonWhat("x.txt"));
        Assert.Equal(0, harness.Outbox.Calls);
    }

    [Fact]
    public async Task ScanOnceAsync_SidecarStillChanging_PairWaitsForIt()
    {
        var clock = new ManualTimeProvider(Start);
        await using var harness = Harness(clock);
        await File.WriteAllTextAsync(harness.Preanonymized("x.pdf"), "%PDF");
        await harness.Watcher.ScanOnceAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(8));
        await File.WriteAllTextAsync(harness.Preanonymized("x.json"), "{");
        await harness.Watcher.ScanOnceAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(4));

        // The file is stable, the sidecar (still incomplete JSON) is not: nothing is decided yet.
        await harness.Watcher.ScanOnceAsync(CancellationToken.None);
        Assert.False(harness.IsQuarantined("x.pdf"));
        await File.WriteAllTextAsync(harness.Preanonymized("x.json"), """{"language": "de"}""");
        await harness.Watcher.ScanOnceAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(9));
        await harness.Watcher.ScanOnceAsync(CancellationToken.None);
        Assert.Equal(0, harness.Outbox.Calls);

        clock.Advance(TimeSpan.FromSeconds(1));
        await harness.Watcher.ScanOnceAsync(CancellationToken.None);
        Assert.True(harness.ArtifactTaken("x.pdf"));
        Assert.False(harness.IsQuarantined("x.pdf"));
    }

    [Fact]
    public async Task ScanOnceAsync_UpperCaseJsonSidecar_Matched()
    {
        var clock = new ManualTimeProvider(Start);
        await using var harness = Harness(clock);
        await File.WriteAllTextAsync(harness.Preanonymized("Export.pdf"), "%PDF");
        await File.WriteAllTextAsync(harness.Preanonymized("Export.JSON"), "{}");
        await harness.Watcher.ScanOnceAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(10));

        await harness.Watcher.ScanOnceAsync(CancellationToken.None);

        Assert.Equal(harness.Preanonymized("Export.JSON"), Assert.Single(harness.Outbox.Artifacts).SidecarPath);
    }

    [Fact]
    public async Task ScanOnceAsync_OversizedSidecar_BothQuarantinedUnparsed()
    {
        var clock = new ManualTimeProvider(Start);
        await using var harness = Harness(clock);
        await File.WriteAllTextAsync(harness.Preanonymized("big.pdf"), "%PDF");
        await File.WriteAllTextAsync(harness.Preanonymized("big.json"), "{\"language\": \"" + new string('x', SidecarReader.MaxBytes) + "\"}");
        await harness.Watcher.ScanOnceAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(10));

        await harness.Watcher.ScanOnceAsync(CancellationToken.None);

        Assert.True(harness.IsQuarantined("big.pdf"));
        Assert.True(harness.IsQuarantined("big.json"));
        Assert.Contains("larger than", harness.ReasonWhy("big.json"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScanOnceAsync_SymlinkedSidecar_QuarantinedAndNeverRead()
    {
        var clock = new ManualTimeProvider(Start);
        await using var harness = Harness(clock, TimeSpan.Zero);
        var target = harness.Temp.Combine("elsewhere.json");
        await File.WriteAllTextAsync(target, "{}");
        File.CreateSymbolicLink(harness.Preanonymized("s.json"), target);
        await File.WriteAllTextAsync(harness.Preanonymized("s.txt"), "x");
        await harness.Watcher.ScanOnceAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(10));

        await harness.Watcher.ScanOnceAsync(CancellationToken.None);

        Assert.Equal("symlink", harness.ReasonWhat("s.json"));
        Assert.Equal("missing_sidecar", harness.ReasonWhat("s.txt"));
        Assert.Equal("{}", await File.ReadAllTextAsync(target));
        Assert.Equal(0, harness.Outbox.Calls);
    }

    [Fact]
    public async Task ScanOnceAsync_DropFolderMissing_OtherFoldersStillScanned()
    {
        var clock = new ManualTimeProvider(Start);
        await using var harness = Harness(clock);
        Directory.Delete(harness.Paths.VideoImport);
        await File.WriteAllTextAsync(harness.Report("r.pdf"), "%PDF-1.7");
        await harness.Watcher.ScanOnceAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(10));

        await harness.Watcher.ScanOnceAsync(CancellationToken.None);

        Assert.True(harness.ArtifactTaken("r.pdf"));
        Assert.Single(harness.Logs.Lines, l => l.EventId == 4207);
    }
}
