using System.Security.Cryptography;
using System.Text;
using LxAnnotate.Hub.Data;
using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Ingest;
using LxAnnotate.Hub.Storage.Encryption;
using LxAnnotate.Hub.Tests.Support;
using LxAnnotate.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LxAnnotate.Hub.Tests.Storage.Encryption;

public sealed class EncryptedStorageSweepTests
{
    public static TheoryData<TestDatabaseKind> Databases() => new() { TestDatabaseKind.Sqlite, TestDatabaseKind.PostgreSql };

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task ApplyAsync_ReportStoredBeforeKey_EncryptsAndMovesItsJob(TestDatabaseKind kind)
    {
        // Stored plaintext while no key was configured (standalone without LX_ANNOTATE_MASTER_KEY).
        await using var harness = await IngestHarness.CreateAsync(kind, defaultCenter: "center-a");
        await harness.AddCenterAsync("center-a");
        var marker = "SWEEP-MARKER-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8));
        var report = Encoding.ASCII.GetBytes("%PDF-1.4 " + marker);
        var video = RandomNumberGenerator.GetBytes(500);
        var reportJob = (await harness.IngestAsync(Request("application/pdf"), report)).Job;
        await harness.IngestAsync(Request("video/mp4"), video);
        Assert.Equal(StorageClasses.Managed, reportJob.StorageEncoding);
        var ring = new MasterKeyRing(TestMasterKey.NewKey());

        await using var scope = harness.Services.CreateAsyncScope();
        var sweep = new EncryptedStorageSweep(harness.Settings.Paths, ring, scope.ServiceProvider.GetRequiredService<LxaDbContext>());
        var finding = Assert.Single(sweep.Scan());
        Assert.Equal(new SweepFinding(reportJob.StoragePath, SweepFindingKind.Plaintext), finding);

        var moved = await sweep.ApplyAsync(finding, CancellationToken.None);

        Assert.Equal(reportJob.StoragePath + ".lxenc", moved);
        Assert.Empty(sweep.Scan());
        var job = await harness.WithDbAsync(db => db.UploadJobs.AsNoTracking().SingleAsync(j => j.Id == reportJob.Id));
        Assert.Equal(moved, job.StoragePath);
        Assert.Equal(StorageClasses.Encrypted, job.StorageEncoding);
        Assert.Equal(2, harness.StoredFiles().Count);
        await using var reader = LxEnc01ReadStream.OpenFile(Path.Combine(harness.Settings.Paths.StorageDir, moved), ring, job.SizeBytes);
        var plaintext = new byte[reader.Length];
        await reader.ReadExactlyAsync(plaintext);
        Assert.Equal(report, plaintext);
        foreach (var file in Directory.EnumerateFiles(harness.Settings.Paths.Root, "*", SearchOption.AllDirectories))
        {
            Assert.True((await File.ReadAllBytesAsync(file)).AsSpan().IndexOf(Encoding.ASCII.GetBytes(marker)) < 0, file);
        }
    }

    [Fact]
    public async Task Scan_UnreadableEncryptedFile_ReportedAndNeverRewritten()
    {
        await using var harness = await IngestHarness.CreateAsync(TestDatabaseKind.Sqlite);
        var directory = Path.Combine(harness.Settings.Paths.StorageDir, "centers", "c", "ab");
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "ab.txt.lxenc");
        await EncryptedFile.WriteAsync(new MemoryStream([1, 2, 3]), path, new MasterKeyRing(TestMasterKey.NewKey()));
        var before = await File.ReadAllBytesAsync(path);

        await using var scope = harness.Services.CreateAsyncScope();
        var sweep = new EncryptedStorageSweep(harness.Settings.Paths, new MasterKeyRing(TestMasterKey.NewKey()), scope.ServiceProvider.GetRequiredService<LxaDbContext>());
        var finding = Assert.Single(sweep.Scan());

        Assert.Equal(SweepFindingKind.Unreadable, finding.Kind);
        await Assert.ThrowsAsync<InvalidOperationException>(() => sweep.ApplyAsync(finding, CancellationToken.None));
        Assert.Equal(before, await File.ReadAllBytesAsync(path));
    }

    private static IngestRequest Request(string contentType) => new()
    {
        Boundary = IngestMode.Api,
        Entrypoint = "api.upload",
        Caller = CallerIdentity.Anonymous,
        SourceSystem = "endoscopy",
        ContentType = contentType,
    };
}
