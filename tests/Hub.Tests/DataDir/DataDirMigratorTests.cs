using System.Security.Cryptography;
using System.Text.Json;
using LxAnnotate.Hub.DataDir;
using LxAnnotate.TestSupport;

namespace LxAnnotate.Hub.Tests.DataDir;

public sealed class DataDirMigratorTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory temp = new();
    private readonly StringWriter output = new();
    private readonly ManualTimeProvider clock = new(Start);

    private string Source => temp.Combine("old-data");

    private string Target => temp.Combine("lx-annotate");

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task FullAsync_EmptyTarget_CopiesVerifiesRenamesSourceAndRecordsCompletion()
    {
        WriteSourceTree();
        Directory.CreateDirectory(Target);
        var before = Fingerprint(Source);

        await Migrator().FullAsync(Source, Target, dryRun: false, Timeout());

        var backup = Source + ".migration-backup-20261127T100000Z";
        Assert.False(Directory.Exists(Source));
        Assert.Equal(before, Fingerprint(backup));
        Assert.Equal(before, Fingerprint(Target));
        Assert.Equal("storage", new FileInfo(Path.Combine(Target, "link")).LinkTarget);
        Assert.False(Directory.Exists(Path.Combine(Target, "run")));
        using var record = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Target, ".migration-complete")));
        Assert.Equal(Source, record.RootElement.GetProperty("source").GetString());
        Assert.Equal(backup, record.RootElement.GetProperty("backup").GetString());
        Assert.Equal(5, record.RootElement.GetProperty("file_count").GetInt32());
        Assert.False(File.Exists(Path.Combine(Target, ".migration-in-progress")));
    }

    [Fact]
    public async Task FullAsync_TargetHoldsData_RefusesAndChangesNothing()
    {
        WriteSourceTree();
        Write(Path.Combine(Target, "storage", "existing.bin"), "keep me");
        var source = Fingerprint(Source);
        var target = Fingerprint(Target);

        var refusal = await Assert.ThrowsAsync<DataDirMigrationException>(() => Migrator().FullAsync(Source, Target, dryRun: false, Timeout()));

        Assert.Contains("both", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("--merge", refusal.Message, StringComparison.Ordinal);
        Assert.Equal(source, Fingerprint(Source));
        Assert.Equal(target, Fingerprint(Target));
    }

    [Fact]
    public async Task FullAsync_TargetHasOnlyEnvFile_KeepsTargetEnvFile()
    {
        WriteSourceTree();
        Write(Path.Combine(Target, ".env.systemd"), "ENDOREG_DEPLOYMENT_ROLE=central_hub\n");

        await Migrator().FullAsync(Source, Target, dryRun: false, Timeout());

        Assert.Equal("ENDOREG_DEPLOYMENT_ROLE=central_hub\n", await File.ReadAllTextAsync(Path.Combine(Target, ".env.systemd")));
        Assert.Contains($"target env file already exists, leaving as source of truth: {Path.Combine(Target, ".env.systemd")}", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FullAsync_DryRun_ChangesNothing()
    {
        WriteSourceTree();
        Directory.CreateDirectory(Target);
        var source = Fingerprint(Source);

        await Migrator().FullAsync(Source, Target, dryRun: true, Timeout());

        Assert.Equal(source, Fingerprint(Source));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Target));
        Assert.Contains("would copy 5 file(s)", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FullAsync_VerificationFails_RestoresSourceAndMovesTargetAside()
    {
        WriteSourceTree();
        Write(Path.Combine(Target, ".env.systemd"), "TARGET=1\n");
        var source = Fingerprint(Source);
        var migrator = new DataDirMigrator(output, clock)
        {
            AfterCopy = async ct => await File.WriteAllTextAsync(Path.Combine(Target, "storage", "centers", "a", "video.mp4"), "damaged", ct),
        };

        var failure = await Assert.ThrowsAsync<DataDirMigrationException>(() => migrator.FullAsync(Source, Target, dryRun: false, Timeout()));

        Assert.Contains("verification failed", failure.Message, StringComparison.Ordinal);
        Assert.Equal(source, Fingerprint(Source));
        var failed = Target + ".failed-migration-20261127T100000Z";
        Assert.True(Directory.Exists(failed), failure.Message);
        Assert.Equal("TARGET=1\n", await File.ReadAllTextAsync(Path.Combine(Target, ".env.systemd")));
        Assert.Equal([".env.systemd"], Directory.EnumerateFileSystemEntries(Target).Select(Path.GetFileName));
        Assert.Empty(Directory.EnumerateDirectories(temp.Path, "old-data.migration-backup-*"));
    }

    [Fact]
    public async Task FullAsync_InterruptedAfterRename_FinishesWithCompletionRecord()
    {
        WriteSourceTree();
        Directory.CreateDirectory(Target);
        await Migrator().FullAsync(Source, Target, dryRun: false, Timeout());

        // As if the process died between renaming the source and writing the record.
        var complete = Path.Combine(Target, ".migration-complete");
        var backup = Source + ".migration-backup-20261127T100000Z";
        File.Delete(complete);
        await File.WriteAllTextAsync(
            Path.Combine(Target, ".migration-in-progress"),
            JsonSerializer.Serialize(new MigrationProgressRecord(Source, Start, backup)));

        await Migrator().FullAsync(Source, Target, dryRun: false, Timeout());

        Assert.True(File.Exists(complete));
        Assert.False(File.Exists(Path.Combine(Target, ".migration-in-progress")));
        Assert.Contains("finished the interrupted migration", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MergeAsync_TargetHasSomeEntries_CopiesOnlyMissingAndWarnsForTheRest()
    {
        WriteSourceTree();
        Write(Path.Combine(Target, "storage", "centers", "a", "video.mp4"), "newer content in the target");
        Write(Path.Combine(Target, ".env.systemd"), "TARGET=1\n");
        var source = Fingerprint(Source);

        await Migrator().MergeAsync(Source, Target, dryRun: false, Timeout());

        var text = output.ToString();
        Assert.Equal("newer content in the target", await File.ReadAllTextAsync(Path.Combine(Target, "storage", "centers", "a", "video.mp4")));
        Assert.Equal("TARGET=1\n", await File.ReadAllTextAsync(Path.Combine(Target, ".env.systemd")));
        Assert.Equal("%PDF-1.7 report", await File.ReadAllTextAsync(Path.Combine(Target, "storage", "centers", "b", "report.pdf")));
        Assert.Contains($"WARNING: destination already exists, skipping: {Path.Combine(Target, "storage", "centers", "a", "video.mp4")}", text, StringComparison.Ordinal);
        Assert.Contains($"target env file already exists, leaving as source of truth: {Path.Combine(Target, ".env.systemd")}", text, StringComparison.Ordinal);
        Assert.Equal(source, Fingerprint(Source));
        Assert.Empty(Directory.EnumerateFiles(Target, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task MergeAsync_RunTwice_SecondRunChangesNothing()
    {
        WriteSourceTree();
        await Migrator().MergeAsync(Source, Target, dryRun: false, Timeout());
        var afterFirst = Fingerprint(Target);
        var times = Directory.EnumerateFiles(Target, "*", SearchOption.AllDirectories).ToDictionary(f => f, File.GetLastWriteTimeUtc);

        await Migrator().MergeAsync(Source, Target, dryRun: false, Timeout());

        Assert.Equal(afterFirst, Fingerprint(Target));
        Assert.All(times, t => Assert.Equal(t.Value, File.GetLastWriteTimeUtc(t.Key)));
        Assert.Contains("copied 0 file(s)", output.ToString(), StringComparison.Ordinal);
        Assert.True(Directory.Exists(Source));
    }

    [Fact]
    public async Task MergeAsync_DryRun_ChangesNothing()
    {
        WriteSourceTree();
        Write(Path.Combine(Target, "keep.txt"), "x");
        var target = Fingerprint(Target);

        await Migrator().MergeAsync(Source, Target, dryRun: true, Timeout());

        Assert.Equal(target, Fingerprint(Target));
        Assert.Contains("would copy", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FullAsync_SourceInsideTarget_Refuses()
    {
        Directory.CreateDirectory(Path.Combine(Target, "nested"));

        var refusal = await Assert.ThrowsAsync<DataDirMigrationException>(() => Migrator().FullAsync(Path.Combine(Target, "nested"), Target, dryRun: false, Timeout()));

        Assert.Contains("must not contain each other", refusal.Message, StringComparison.Ordinal);
    }

    private static CancellationToken Timeout() => new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;

    private static void Write(string path, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    /// <summary>Relative path → SHA-256 (or link target) of every entry, run/ and the markers left out.</summary>
    private static Dictionary<string, string> Fingerprint(string root) =>
        DataDirScanner.Scan(root).ToDictionary(
            e => e.RelativePath,
            e => e.Kind switch
            {
                DataDirEntryKind.File => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(Path.Combine(root, e.RelativePath)))),
                DataDirEntryKind.SymbolicLink => "-> " + e.LinkTarget,
                _ => "dir",
            });

    private DataDirMigrator Migrator() => new(output, clock);

    private void WriteSourceTree()
    {
        Write(Path.Combine(Source, "storage", "centers", "a", "video.mp4"), "video bytes");
        Write(Path.Combine(Source, "storage", "centers", "b", "report.pdf"), "%PDF-1.7 report");
        Write(Path.Combine(Source, "import", "video_import", "waiting.mp4"), "dropped");
        Write(Path.Combine(Source, "run", "hub.sock"), "runtime state");
        Write(Path.Combine(Source, ".env.systemd"), "SOURCE=1\n");
        File.CreateSymbolicLink(Path.Combine(Source, "link"), "storage");
    }
}
