using System.Globalization;
using LxAnnotate.Node.Outbox;
using LxAnnotate.Node.Tests.Support;
using LxAnnotate.TestSupport;
using Microsoft.Data.Sqlite;

namespace LxAnnotate.Node.Tests.Watcher;

/// <summary>What the running watcher refuses, and that refusing never deletes anything.</summary>
public sealed class WatcherQuarantineTests
{
    [Fact]
    public async Task StartAsync_WrongExtension_QuarantinedWithReasonFile()
    {
        await using var harness = new WatcherHarness();
        await harness.StartAsync();
        var before = DateTimeOffset.UtcNow;
        await File.WriteAllTextAsync(harness.Video("notes.docx"), "not a video");

        await Eventually.TrueAsync(() => harness.IsQuarantined("notes.docx"), "the file to be quarantined");
        var reason = harness.ReadReason("notes.docx");
        Assert.Equal("notes.docx", reason.GetProperty("file").GetString());
        Assert.Equal("refused_type", reason.GetProperty("what").GetString());
        Assert.Contains(".docx", reason.GetProperty("why").GetString(), StringComparison.Ordinal);
        Assert.Contains("video_import", reason.GetProperty("why").GetString(), StringComparison.Ordinal);
        Assert.Equal("watcher", reason.GetProperty("boundary").GetString());
        var when = DateTimeOffset.Parse(reason.GetProperty("when").GetString()!, CultureInfo.InvariantCulture);
        Assert.InRange(when, before.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Equal("not a video", await File.ReadAllTextAsync(harness.Quarantined("notes.docx")));
        Assert.False(File.Exists(harness.Video("notes.docx")));
        Assert.Equal(0, harness.Outbox.Calls);
    }

    [Fact]
    public async Task StartAsync_PdfInVideoFolder_QuarantinedAsRefusedType()
    {
        await using var harness = new WatcherHarness();
        await harness.StartAsync();
        await File.WriteAllTextAsync(harness.Video("report.pdf"), "%PDF");

        await Eventually.TrueAsync(() => harness.IsQuarantined("report.pdf"), "the file to be quarantined");
        Assert.Equal("refused_type", harness.ReasonWhat("report.pdf"));
    }

    [Fact]
    public async Task StartAsync_Symlink_QuarantinedAndTargetUntouched()
    {
        await using var harness = new WatcherHarness();
        var target = harness.Temp.Combine("outside-secret.mp4");
        await File.WriteAllTextAsync(target, "patient video");
        var targetWritten = File.GetLastWriteTimeUtc(target);
        File.CreateSymbolicLink(harness.Video("link.mp4"), target);
        await harness.StartAsync();

        await Eventually.TrueAsync(() => harness.IsQuarantined("link.mp4"), "the link to be quarantined");
        Assert.Equal("symlink", harness.ReasonWhat("link.mp4"));
        Assert.Equal(target, new FileInfo(harness.Quarantined("link.mp4")).LinkTarget);
        Assert.False(File.Exists(harness.Video("link.mp4")));
        Assert.Equal("patient video", await File.ReadAllTextAsync(target));
        Assert.Equal(targetWritten, File.GetLastWriteTimeUtc(target));
        Assert.Null(new FileInfo(target).LinkTarget);
        Assert.Equal(0, harness.Outbox.Calls);
    }

    [Fact]
    public async Task StartAsync_DanglingSymlink_Quarantined()
    {
        await using var harness = new WatcherHarness();
        File.CreateSymbolicLink(harness.Report("gone.pdf"), harness.Temp.Combine("does-not-exist.pdf"));
        await harness.StartAsync();

        await Eventually.TrueAsync(() => harness.IsQuarantined("gone.pdf"), "the dangling link to be quarantined");
        Assert.Equal("symlink", harness.ReasonWhat("gone.pdf"));
    }

    [Fact]
    public async Task StartAsync_Fifo_QuarantinedAsSpecialFile()
    {
        await using var harness = new WatcherHarness();
        var fifo = harness.Video("stream.mp4");
        var made = await ProcessRunner.RunAsync("mkfifo", [fifo], new Dictionary<string, string?>(), TimeSpan.FromSeconds(10));
        Assert.Equal(0, made.ExitCode);
        await harness.StartAsync();

        await Eventually.TrueAsync(() => harness.IsQuarantined("stream.mp4"), "the FIFO to be quarantined");
        Assert.Equal("special_file", harness.ReasonWhat("stream.mp4"));
        Assert.False(File.Exists(fifo));
        Assert.Equal(0, harness.Outbox.Calls);
    }

    [Fact]
    public async Task StartAsync_RefusedByOutbox_QuarantinedWithTheMessage()
    {
        await using var harness = new WatcherHarness();
        harness.Outbox.RefuseWith = "sha256 of the file does not match the sidecar";
        await harness.StartAsync();
        await File.WriteAllTextAsync(harness.Report("refused.pdf"), "%PDF-1.7");

        await Eventually.TrueAsync(() => harness.IsQuarantined("refused.pdf"), "the refused file to be quarantined");
        Assert.Equal("refused", harness.ReasonWhat("refused.pdf"));
        Assert.Equal("sha256 of the file does not match the sidecar", harness.ReasonWhy("refused.pdf"));
        Assert.Equal("%PDF-1.7", await File.ReadAllTextAsync(harness.Quarantined("refused.pdf")));
    }

    [Fact]
    public async Task StartAsync_OutboxKeepsFailing_QuarantinedAfterFiveAttemptsNeverDeleted()
    {
        await using var harness = new WatcherHarness();
        harness.Outbox.FailWith = () => new IOException("disk said no about Mustermann");
        await harness.StartAsync();
        await File.WriteAllTextAsync(harness.Report("stubborn.pdf"), "%PDF-1.7 content");

        await Eventually.TrueAsync(() => harness.IsQuarantined("stubborn.pdf"), "the file to be quarantined after repeated failures");
        Assert.Equal(5, harness.Outbox.Calls);
        Assert.Equal("admit_failed", harness.ReasonWhat("stubborn.pdf"));
        var why = harness.ReasonWhy("stubborn.pdf");
        Assert.Contains("System.IO.IOException", why, StringComparison.Ordinal);
        Assert.DoesNotContain("Mustermann", why, StringComparison.Ordinal);
        Assert.Equal("%PDF-1.7 content", await File.ReadAllTextAsync(harness.Quarantined("stubborn.pdf")));
        Assert.Equal(5, harness.Logs.Lines.Count(l => l.EventId == 4205));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("enospc")]
    public async Task StartAsync_NodeDiskFullLongerThanFiveScans_FileStaysInPlaceAndIsTakenOnceSpaceIsFreed(string kind)
    {
        await using var harness = new WatcherHarness();
        var failures = 0;
        harness.Outbox.FailWith = () =>
        {
            if (Interlocked.Increment(ref failures) == 8)
            {
                harness.Outbox.FailWith = null;
            }

            return kind == "sqlite" ? new SqliteException("database or disk is full", 13) : new IOException("No space left on device", 28);
        };
        await harness.StartAsync();
        await File.WriteAllTextAsync(harness.Report("waiting.pdf"), "%PDF-1.7");

        await Eventually.TrueAsync(() => harness.ArtifactTaken("waiting.pdf"), "the file to be taken once the disk has space");
        Assert.False(harness.IsQuarantined("waiting.pdf"));
        Assert.Equal(9, harness.Outbox.Calls);
        Assert.Equal(8, harness.Logs.Lines.Count(l => l.EventId == 4215));
        Assert.Equal(0, harness.Logs.Lines.Count(l => l.EventId == 4205));
    }

    [Fact]
    public async Task StartAsync_OutboxFailsTwiceThenRecovers_TakenAndNotQuarantined()
    {
        await using var harness = new WatcherHarness();
        var failures = 0;
        harness.Outbox.FailWith = () =>
        {
            if (Interlocked.Increment(ref failures) == 2)
            {
                harness.Outbox.FailWith = null;
            }

            return new InvalidOperationException("transient");
        };
        await harness.StartAsync();
        await File.WriteAllTextAsync(harness.Report("flaky.pdf"), "%PDF-1.7");

        await Eventually.TrueAsync(() => harness.ArtifactTaken("flaky.pdf"), "the file to be taken after two failures");
        Assert.Equal(3, harness.Outbox.Calls);
        Assert.Empty(Directory.GetFiles(harness.Paths.QuarantineDir));
    }

    [Fact]
    public async Task StartAsync_QuarantineUnusable_FileStaysAndOthersAreStillTaken()
    {
        await using var harness = new WatcherHarness();
        Directory.Delete(harness.Paths.QuarantineDir);
        await File.WriteAllTextAsync(harness.Paths.QuarantineDir, "a file where the quarantine folder should be");
        await File.WriteAllTextAsync(harness.Video("stuck.docx"), "keep me");
        await harness.StartAsync();
        await File.WriteAllBytesAsync(harness.Video("fine.mp4"), DropBytes.Mp4);

        await Eventually.TrueAsync(() => harness.Logs.Lines.Any(l => l.EventId == 4206), "the failed quarantine to be logged");
        await Eventually.TrueAsync(() => harness.ArtifactTaken("fine.mp4"), "the good file to be taken meanwhile");
        Assert.Equal("keep me", await File.ReadAllTextAsync(harness.Video("stuck.docx")));
        Assert.False(harness.Watcher.ExecuteTask!.IsCompleted);
    }

    [Fact]
    public async Task StartAsync_ClinicalFileNames_NeverAppearInLogs()
    {
        await using var harness = new WatcherHarness(s => s with { SidecarWait = TimeSpan.FromMilliseconds(300) });
        harness.Outbox.Outcome = AdmitOutcome.Duplicate;
        await harness.StartAsync();
        await File.WriteAllBytesAsync(harness.Video("Mustermann_Erika_1970-01-01.mp4"), DropBytes.Mp4);
        await File.WriteAllTextAsync(harness.Video("Mustermann_Erika_notes.docx"), "x");
        await File.WriteAllTextAsync(harness.Preanonymized("Mustermann_Erika_export.txt"), "x");
        File.CreateSymbolicLink(harness.Report("Mustermann_Erika_link.pdf"), harness.Temp.Combine("nowhere"));

        await Eventually.TrueAsync(
            () => harness.IsQuarantined("Mustermann_Erika_notes.docx") && harness.IsQuarantined("Mustermann_Erika_export.txt") &&
                  harness.IsQuarantined("Mustermann_Erika_link.pdf") && harness.ArtifactTaken("Mustermann_Erika_1970-01-01.mp4"),
            "every file to be handled");
        Assert.NotEmpty(harness.Logs.Lines);
        Assert.DoesNotContain(harness.Logs.Lines, l => l.Message.Contains("Mustermann", StringComparison.Ordinal));
    }
}
