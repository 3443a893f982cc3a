using System.Text.Json;
using LxAnnotate.Node.Hosting;
using LxAnnotate.Node.SapImport;
using LxAnnotate.Node.Tests.Support;
using LxAnnotate.Shared.Configuration;
using LxAnnotate.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace LxAnnotate.Node.Tests.SapImport;

public sealed class SapImportFolderTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 5, 17, 9, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory temp = new();
    private readonly ManualTimeProvider clock = new(Start);
    private readonly DataPaths paths;
    private readonly SapImportFolder folder;

    public SapImportFolderTests()
    {
        paths = RuntimeSettingsResolver.Resolve(name => name == "LX_ANNOTATE_ENCRYPTED_DATA_DIR" ? temp.Path : null).Paths;
        paths.EnsureCreated();
        var settings = new NodeSettings
        {
            HubSocketPath = temp.Combine("run", "hub.sock"),
            OutboxDir = temp.Combine("node", "outbox"),
            OutboxDatabase = temp.Combine("node", "outbox.sqlite3"),
            StableAfter = TimeSpan.FromSeconds(10),
            SapImportCenterKey = "center-a",
        };
        folder = new SapImportFolder(paths, settings, clock, NullLogger<SapImportFolder>.Instance);
    }

    public void Dispose() => temp.Dispose();

    private string Drop(string name) => Path.Combine(paths.SapImport, name);

    private static void GoodZip(string path) => SapArchives.Zip(path,
        ("briefe.txt", SapArchives.Tsv(SapArchives.BriefeHeader, "1\t1\t2024-01-01\tText", "2\t2\t2024-01-02\tMehr Text")));

    private JsonElement Reason(string name)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(paths.SapImportFailed, name + ".reason.json")));
        return document.RootElement.Clone();
    }

    [Fact]
    public async Task ScanOnceAsync_StableZip_ConvertedAndMovedToProcessed()
    {
        GoodZip(Drop("export.zip"));

        var first = await folder.ScanOnceAsync(CancellationToken.None);
        Assert.Equal((0, 0, 1), (first.Processed, first.Failed, first.Waiting));
        Assert.Equal(Start + TimeSpan.FromSeconds(10), first.NextLook);
        Assert.Empty(Directory.EnumerateFiles(paths.PreanonymizedImport));

        clock.Advance(TimeSpan.FromSeconds(10));
        var second = await folder.ScanOnceAsync(CancellationToken.None);

        Assert.Equal((1, 0, 0), (second.Processed, second.Failed, second.Waiting));
        Assert.False(File.Exists(Drop("export.zip")));
        Assert.True(File.Exists(Path.Combine(paths.SapImportProcessed, "export.zip")));
        Assert.Equal(4, Directory.EnumerateFiles(paths.PreanonymizedImport).Count());
        var sidecar = File.ReadAllText(Directory.GetFiles(paths.PreanonymizedImport, "sap_ish_0001_*.json")[0]);
        Assert.Contains("\"center_key\": \"center-a\"", sidecar, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(paths.Root, "migration_staging", "sap_import")));
    }

    [Fact]
    public async Task ScanOnceAsync_ZipStillChanging_NotTakenUntilStable()
    {
        GoodZip(Drop("export.zip"));
        await folder.ScanOnceAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(9));
        await File.AppendAllTextAsync(Drop("export.zip"), "more bytes");

        clock.Advance(TimeSpan.FromSeconds(2));
        var scan = await folder.ScanOnceAsync(CancellationToken.None);

        Assert.Equal(1, scan.Waiting);
        Assert.True(File.Exists(Drop("export.zip")));
    }

    [Fact]
    public async Task ScanOnceAsync_UnsafeZip_MovedToFailedWithReasonAndNoPair()
    {
        SapArchives.Zip(Drop("evil.zip"), ("ok.txt", SapArchives.Tsv(SapArchives.BriefeHeader, "1\t1\t2024-01-01\tText")), ("../escape.txt", "x"));
        await folder.ScanOnceAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(10));

        var scan = await folder.ScanOnceAsync(CancellationToken.None);

        Assert.Equal(1, scan.Failed);
        Assert.True(File.Exists(Path.Combine(paths.SapImportFailed, "evil.zip")));
        var reason = Reason("evil.zip");
        Assert.Equal("sap_import_failed", reason.GetProperty("what").GetString());
        Assert.Equal("sap_import", reason.GetProperty("boundary").GetString());
        Assert.Contains("entry '../escape.txt'", reason.GetProperty("why").GetString(), StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFiles(paths.PreanonymizedImport));
    }

    [Fact]
    public async Task ScanOnceAsync_FailureInTheMiddle_NoPairAndZipFailed()
    {
        SapArchives.Zip(Drop("half.zip"),
            ("a.txt", SapArchives.Tsv(SapArchives.BriefeHeader, "1\t1\t2024-01-01\tText")),
            ("b.txt", SapArchives.Tsv(SapArchives.BriefeHeader, "2\t2\t2024-01-01\t\"never closed")));
        await folder.ScanOnceAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(10));

        await folder.ScanOnceAsync(CancellationToken.None);

        Assert.Empty(Directory.EnumerateFiles(paths.PreanonymizedImport));
        Assert.Contains("table 'b.txt'", Reason("half.zip").GetProperty("why").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScanOnceAsync_NotAZipOrALink_MovedToFailedUntouched()
    {
        await File.WriteAllTextAsync(Drop("notes.csv"), "a;b");
        var target = temp.Combine("outside.zip");
        GoodZip(target);
        File.CreateSymbolicLink(Drop("link.zip"), target);

        await folder.ScanOnceAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(10));
        await folder.ScanOnceAsync(CancellationToken.None);

        Assert.Contains("only .zip", Reason("notes.csv").GetProperty("why").GetString(), StringComparison.Ordinal);
        Assert.Contains("not a regular file", Reason("link.zip").GetProperty("why").GetString(), StringComparison.Ordinal);
        Assert.NotNull(new FileInfo(Path.Combine(paths.SapImportFailed, "link.zip")).LinkTarget);
        Assert.True(File.Exists(target));
        Assert.Empty(Directory.EnumerateFiles(paths.PreanonymizedImport));
    }

    [Fact]
    public async Task ScanOnceAsync_SameNameProcessedTwice_SecondKeptBeside()
    {
        GoodZip(Drop("export.zip"));
        await folder.ScanOnceAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(10));
        await folder.ScanOnceAsync(CancellationToken.None);
        GoodZip(Drop("export.zip"));
        await folder.ScanOnceAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(10));

        var scan = await folder.ScanOnceAsync(CancellationToken.None);

        Assert.Equal(1, scan.Processed);
        Assert.True(File.Exists(Path.Combine(paths.SapImportProcessed, "export.1.zip")));
        Assert.Equal(8, Directory.EnumerateFiles(paths.PreanonymizedImport).Count());
    }
}
