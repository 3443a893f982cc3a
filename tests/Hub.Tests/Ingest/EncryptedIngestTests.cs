using System.Security.Cryptography;
using System.Text;
using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Ingest;
using LxAnnotate.Hub.Storage.Encryption;
using LxAnnotate.Hub.Storage;
using LxAnnotate.Hub.Tests.Support;
using LxAnnotate.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LxAnnotate.Hub.Tests.Ingest;

/// <summary>The <c>encrypted</c> storage class through the ingest core: sensitive artifacts never reach the disk in plaintext.</summary>
public sealed class EncryptedIngestTests
{
    public static TheoryData<TestDatabaseKind> Databases() => new() { TestDatabaseKind.Sqlite, TestDatabaseKind.PostgreSql };

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task IngestAsync_ReportWithMasterKey_StoresEncryptedAndNoPlaintextMarkerOnDisk(TestDatabaseKind kind)
    {
        var key = TestMasterKey.NewKey();
        await using var harness = await CreateAsync(kind, key);
        var marker = "PLAINTEXT-MARKER-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(12));
        var report = Encoding.UTF8.GetBytes($"%PDF-1.4\nPatient report {marker}\n" + new string('x', 3 * 1024 * 1024) + marker);

        var result = await harness.IngestAsync(Request("application/pdf"), report);

        var job = result.Job;
        Assert.Equal(StorageClasses.Encrypted, job.StorageEncoding);
        Assert.Equal(UploadStorageClasses.Ingest, job.StorageClass);
        Assert.Equal(UploadStorageClasses.Ingest, job.ProcessingProvenance.StorageClass);
        Assert.EndsWith(".pdf.lxenc", job.StoragePath, StringComparison.Ordinal);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(report)), job.ContentHash);
        Assert.Equal(report.Length, job.SizeBytes);

        // The whole storage tree, staging included: the marker appears nowhere, every stored file is LXENC01.
        AssertNoFileContains(harness.Settings.Paths.Root, Encoding.UTF8.GetBytes(marker));
        var stored = Path.Combine(harness.Settings.Paths.StorageDir, job.StoragePath);
        Assert.True(LxEnc01.IsEncryptedFile(stored));
        Assert.Empty(harness.StagedFiles());

        await using var scope = harness.Services.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<EncryptedArtifactStore>();
        await using var reader = store.OpenRead(job.StoragePath, job.SizeBytes);
        var plaintext = new MemoryStream();
        await reader.CopyToAsync(plaintext).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(report, plaintext.ToArray());
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task IngestAsync_SameTextTwice_DedupsByPlaintextHash(TestDatabaseKind kind)
    {
        await using var harness = await CreateAsync(kind, TestMasterKey.NewKey());
        var text = Encoding.UTF8.GetBytes("export line 1\nexport line 2\n");

        var first = await harness.IngestAsync(Request("text/plain"), text);
        var second = await harness.IngestAsync(Request("text/plain", sourceSystem: "other"), text);

        Assert.True(first.Created);
        Assert.False(second.Created);
        Assert.Equal(first.Job.Id, second.Job.Id);
        Assert.Single(harness.StoredFiles());
    }

    [Fact]
    public async Task IngestAsync_VideoWithMasterKey_StaysManagedPlaintext()
    {
        await using var harness = await CreateAsync(TestDatabaseKind.Sqlite, TestMasterKey.NewKey());
        var video = RandomNumberGenerator.GetBytes(10_000);

        var job = (await harness.IngestAsync(Request("video/mp4"), video)).Job;

        Assert.Equal(StorageClasses.Managed, job.StorageEncoding);
        Assert.EndsWith(".mp4", job.StoragePath, StringComparison.Ordinal);
        Assert.Equal(video, await File.ReadAllBytesAsync(Path.Combine(harness.Settings.Paths.StorageDir, job.StoragePath)));
    }

    [Fact]
    public async Task IngestAsync_ReportWithoutMasterKey_StaysManagedPlaintext()
    {
        await using var harness = await CreateAsync(TestDatabaseKind.Sqlite, key: null);
        var report = Encoding.UTF8.GetBytes("%PDF-1.4 standalone report");

        var job = (await harness.IngestAsync(Request("application/pdf"), report)).Job;

        Assert.Equal(StorageClasses.Managed, job.StorageEncoding);
        Assert.Equal(report, await File.ReadAllBytesAsync(Path.Combine(harness.Settings.Paths.StorageDir, job.StoragePath)));
    }

    [Fact]
    public async Task IngestAsync_EncryptedRequestedWithoutMasterKey_RejectedAndNothingStored()
    {
        await using var harness = await CreateAsync(TestDatabaseKind.Sqlite, key: null);

        var ex = await Assert.ThrowsAsync<IngestRejectedException>(() =>
            harness.IngestAsync(Request("video/mp4") with { StorageClass = StorageClasses.Encrypted }, [1, 2, 3]));

        Assert.Equal(IngestRejectionReason.InvalidInput, ex.Reason);
        Assert.Contains("no master key", ex.Message, StringComparison.Ordinal);
        Assert.Empty(harness.StoredFiles());
        Assert.Empty(harness.StagedFiles());
    }

    [Fact]
    public async Task IngestAsync_UnknownStorageClass_Rejected()
    {
        await using var harness = await CreateAsync(TestDatabaseKind.Sqlite, key: null);

        var ex = await Assert.ThrowsAsync<IngestRejectedException>(() =>
            harness.IngestAsync(Request("video/mp4") with { StorageClass = "cold" }, [1, 2, 3]));

        Assert.Equal(IngestRejectionReason.InvalidInput, ex.Reason);
        Assert.Contains("storage class 'cold'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IngestStagedAsync_PlaintextStagedSidecar_EncryptsAndRemovesPlaintext()
    {
        await using var harness = await CreateAsync(TestDatabaseKind.Sqlite, TestMasterKey.NewKey());
        var marker = "SIDECAR-MARKER-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8));
        var sidecar = Encoding.UTF8.GetBytes($"{{\"patient\":\"{marker}\"}}");

        await using var scope = harness.Services.CreateAsyncScope();
        var staged = await scope.ServiceProvider.GetRequiredService<ContentStore>().StageAsync(new MemoryStream(sidecar), long.MaxValue, CancellationToken.None);
        var result = await scope.ServiceProvider.GetRequiredService<IngestService>()
            .IngestStagedAsync(Request("application/json"), staged, CancellationToken.None);

        Assert.Equal(StorageClasses.Encrypted, result.Job.StorageEncoding);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(sidecar)), result.Job.ContentHash);
        Assert.False(File.Exists(staged.Path));
        AssertNoFileContains(harness.Settings.Paths.Root, Encoding.UTF8.GetBytes(marker));
        var stored = await harness.WithDbAsync(db => db.UploadJobs.SingleAsync());
        Assert.EndsWith(".json.lxenc", stored.StoragePath, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task IngestStagedAsync_StagedWithoutFsync_StoredComplete(bool withKey)
    {
        await using var harness = await CreateAsync(TestDatabaseKind.Sqlite, withKey ? TestMasterKey.NewKey() : null);
        var report = Encoding.UTF8.GetBytes("%PDF-1.4\n" + Convert.ToHexString(RandomNumberGenerator.GetBytes(5000)));

        await using var scope = harness.Services.CreateAsyncScope();
        var staged = await scope.ServiceProvider.GetRequiredService<ContentStore>().StageAsync(new MemoryStream(report), long.MaxValue, durable: false, CancellationToken.None);
        var result = await scope.ServiceProvider.GetRequiredService<IngestService>()
            .IngestStagedAsync(Request("application/pdf"), staged, CancellationToken.None);

        Assert.False(staged.Durable);
        Assert.Equal(withKey ? StorageClasses.Encrypted : StorageClasses.Managed, result.Job.StorageEncoding);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(report)), result.Job.ContentHash);
        Assert.False(File.Exists(staged.Path));
        Assert.Empty(harness.StagedFiles());
        var stored = Path.Combine(harness.Settings.Paths.StorageDir, result.Job.StoragePath);
        Assert.Equal(withKey, LxEnc01.IsEncryptedFile(stored));
        if (!withKey)
        {
            Assert.Equal(report, await File.ReadAllBytesAsync(stored));
        }
    }

    private static Task<IngestHarness> CreateAsync(TestDatabaseKind kind, byte[]? key) =>
        CreateCenterAsync(IngestHarness.CreateAsync(
            kind,
            defaultCenter: "center-a",
            extraEnvironment: key is null ? null : new Dictionary<string, string> { ["LX_ANNOTATE_MASTER_KEY"] = TestMasterKey.Encode(key) }));

    private static async Task<IngestHarness> CreateCenterAsync(Task<IngestHarness> create)
    {
        var harness = await create;
        await harness.AddCenterAsync("center-a");
        return harness;
    }

    /// <summary>Like <c>grep -r</c>: no file under <paramref name="root"/> contains <paramref name="marker"/>.</summary>
    private static void AssertNoFileContains(string root, byte[] marker)
    {
        var files = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).ToList();
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            Assert.True(File.ReadAllBytes(file).AsSpan().IndexOf(marker) < 0, $"plaintext marker found in {file}");
        }
    }

    private static IngestRequest Request(string contentType, IngestMode boundary = IngestMode.Api, string sourceSystem = "endoscopy") => new()
    {
        Boundary = boundary,
        Entrypoint = boundary == IngestMode.Api ? "api.upload" : "transfer.grpc",
        Caller = CallerIdentity.Anonymous,
        SourceSystem = sourceSystem,
        ContentType = contentType,
        OriginalFilename = "artifact",
    };
}
