using System.Security.Cryptography;
using System.Text;
using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Processing.Pipeline;
using LxAnnotate.Hub.Processing.Sensitive;
using LxAnnotate.Hub.Processing.Worker;
using LxAnnotate.Hub.Processing;
using LxAnnotate.Hub.Storage.Encryption;
using LxAnnotate.Hub.Tests.Support;
using LxAnnotate.Shared.Configuration;
using LxAnnotate.TestSupport.Media;
using LxAnnotate.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LxAnnotate.Hub.Tests.Processing.Sensitive;

/// <summary>
/// With a master key, the worker keeps sensitive metadata, report texts and the anonymized PDF only as LXENC01
/// files: no patient value in the <c>sensitive_meta</c> row or in any file it wrote, and everything reads back
/// with the key.
/// </summary>
public sealed class EncryptedProcessingOutputTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(4);
    private readonly TempDirectory dir = new();
    private readonly byte[] key = RandomNumberGenerator.GetBytes(32);

    [Theory]
    [InlineData(TestDatabaseKind.PostgreSql)]
    [InlineData(TestDatabaseKind.Sqlite)]
    public async Task RunOnceAsync_VideoWithMasterKey_SensitiveMetaOnlyEncrypted(TestDatabaseKind kind)
    {
        await using var harness = await ProcessingHarness.CreateAsync(kind, s => s
            .AddSingleton(new EncryptionSettings(true, new MasterKeyRing(key)))
            .AddSingleton<IVideoAnonymizer>(new RecordingAnonymizer()));
        var clip = await MediaFixtures.VideoAsync(dir.Path, "clip.mp4", width: 320, height: 240);
        var id = await harness.AddJobAsync(await File.ReadAllBytesAsync(clip));

        Assert.True(await RunOnceAsync(harness));

        var job = await harness.JobAsync(id);
        Assert.Equal(UploadJobStatus.Anonymized, job.Status);
        var meta = await harness.WithDbAsync(db => db.SensitiveMetas.AsNoTracking().SingleAsync(m => m.UploadJobId == id));
        AssertNoPlainValues(meta);
        Assert.Equal(Path.Join("sensitive", ProcessingHarness.Center, id.ToString("N") + ".json.lxenc"), meta.ValuesPath);
        Assert.True(LxEnc01.IsEncryptedFile(Path.Join(harness.StorageDir, meta.ValuesPath)));
        AssertNotOnDisk(harness.StorageDir, job.StoragePath, "Schmidt", "Anna", "7001234", "CF-H190", "1980-05-17");
        var read = await harness.WithDbAsync(db => harness.Services.GetRequiredService<ISensitiveMetaStore>().ReadAsync(db, meta.Id, CancellationToken.None));
        Assert.Equal(RecordingAnonymizer.Values, read);
        var artifact = Assert.Single(await harness.WithDbAsync(db => db.ProcessedArtifacts.AsNoTracking().Where(a => a.UploadJobId == id).ToListAsync()));
        Assert.Equal(("masked_video", "managed", Path.Join("processed", ProcessingHarness.Center, id.ToString("N") + ".mp4"), job.ProcessedVideoHash),
            (artifact.Kind, artifact.StorageClass, artifact.RelativePath, artifact.Sha256));
    }

    [Theory]
    [InlineData(TestDatabaseKind.PostgreSql)]
    [InlineData(TestDatabaseKind.Sqlite)]
    public async Task RunOnceAsync_ReportStoredEncrypted_DecryptedForProcessingAndWorkingCopyRemoved(TestDatabaseKind kind)
    {
        await using var harness = await ProcessingHarness.CreateAsync(kind, s => s
            .AddSingleton(new EncryptionSettings(true, new MasterKeyRing(key)))
            .AddMediaProcessing()
            .AddSingleton<IReportProcessor, PdfReportProcessor>(),
            new Dictionary<string, string> { ["LX_ANNOTATE_MASTER_KEY"] = TestMasterKey.Encode(key) });
        var id = await harness.AddJobAsync(ReportPdfFixture.CreateTextPdf(ReportPdfFixture.SampleLines), "application/pdf");
        var stored = await harness.JobAsync(id);
        Assert.Equal("encrypted", stored.StorageEncoding);
        Assert.True(LxEnc01.IsEncryptedFile(Path.Join(harness.StorageDir, stored.StoragePath)));

        Assert.True(await RunOnceAsync(harness));

        var job = await harness.JobAsync(id);
        Assert.Equal(UploadJobStatus.Anonymized, job.Status);
        var values = await harness.WithDbAsync(async db =>
        {
            var meta = await db.SensitiveMetas.AsNoTracking().SingleAsync(m => m.UploadJobId == id);
            return await harness.Services.GetRequiredService<ISensitiveMetaStore>().ReadAsync(db, meta.Id, CancellationToken.None);
        });
        Assert.Equal("Müller", values!.LastName);
        var workRoot = Path.Join(harness.StorageDir, "incoming", "processing");
        Assert.Empty(Directory.Exists(workRoot) ? Directory.EnumerateFileSystemEntries(workRoot) : []);
        AssertNotOnDisk(harness.StorageDir, null, "Müller", "Jürgen", "12.05.1961");
    }

    [Theory]
    [InlineData(TestDatabaseKind.Sqlite)]
    public async Task RunOnceAsync_StoredCiphertextTampered_ErrorMediaIntegrityFailedNothingLeft(TestDatabaseKind kind)
    {
        await using var harness = await ProcessingHarness.CreateAsync(kind, s => s
            .AddSingleton(new EncryptionSettings(true, new MasterKeyRing(key)))
            .AddMediaProcessing()
            .AddSingleton<IReportProcessor, PdfReportProcessor>(),
            new Dictionary<string, string> { ["LX_ANNOTATE_MASTER_KEY"] = TestMasterKey.Encode(key) });
        var id = await harness.AddJobAsync(ReportPdfFixture.CreateTextPdf(ReportPdfFixture.SampleLines), "application/pdf");
        var file = Path.Join(harness.StorageDir, (await harness.JobAsync(id)).StoragePath);
        var bytes = await File.ReadAllBytesAsync(file);
        bytes[^20] ^= 0x01;
        await File.WriteAllBytesAsync(file, bytes);

        Assert.True(await RunOnceAsync(harness));

        var job = await harness.JobAsync(id);
        Assert.Equal((UploadJobStatus.Error, UploadJobErrorCode.MediaIntegrityFailed), (job.Status, job.ErrorCode));
        Assert.Contains("could not be decrypted", job.ErrorDetail, StringComparison.Ordinal);
        var workRoot = Path.Join(harness.StorageDir, "incoming", "processing");
        Assert.Empty(Directory.Exists(workRoot) ? Directory.EnumerateFileSystemEntries(workRoot) : []);
    }

    [Theory]
    [InlineData(TestDatabaseKind.PostgreSql)]
    [InlineData(TestDatabaseKind.Sqlite)]
    public async Task RunOnceAsync_ReportWithMasterKey_TextsPdfAndMetaOnlyEncrypted(TestDatabaseKind kind)
    {
        await using var harness = await ProcessingHarness.CreateAsync(kind, s => s
            .AddSingleton(new EncryptionSettings(true, new MasterKeyRing(key)))
            .AddMediaProcessing()
            .AddSingleton<IReportProcessor, PdfReportProcessor>());
        var id = await harness.AddJobAsync(ReportPdfFixture.CreateTextPdf(ReportPdfFixture.SampleLines), "application/pdf");

        Assert.True(await RunOnceAsync(harness));

        var job = await harness.JobAsync(id);
        Assert.Equal(UploadJobStatus.Anonymized, job.Status);
        var meta = await harness.WithDbAsync(db => db.SensitiveMetas.AsNoTracking().SingleAsync(m => m.UploadJobId == id));
        AssertNoPlainValues(meta);
        Assert.NotNull(meta.PatientHash);
        AssertNotOnDisk(harness.StorageDir, job.StoragePath, "Müller", "Jürgen", "12.05.1961", "1961-05-12");
        var values = await harness.WithDbAsync(db => harness.Services.GetRequiredService<ISensitiveMetaStore>().ReadAsync(db, meta.Id, CancellationToken.None));
        Assert.Equal(("Müller", "Jürgen", new DateOnly(1961, 5, 12)), (values!.LastName, values.FirstName, values.DateOfBirth));

        var artifacts = await harness.WithDbAsync(db => db.ProcessedArtifacts.AsNoTracking().Where(a => a.UploadJobId == id).ToDictionaryAsync(a => a.Kind));
        Assert.Equal(["anonymized_pdf", "anonymized_text", "report_text"], artifacts.Keys.Order(StringComparer.Ordinal));
        Assert.All(artifacts.Values, a => Assert.Equal("encrypted", a.StorageClass));
        Assert.All(artifacts.Values, a => Assert.StartsWith(Path.Join("processed", ProcessingHarness.Center, id.ToString("N")), a.RelativePath, StringComparison.Ordinal));
        Assert.Contains("Müller, Jürgen", await ReadTextAsync(harness, artifacts["report_text"]), StringComparison.Ordinal);
        var anonymized = await ReadTextAsync(harness, artifacts["anonymized_text"]);
        Assert.DoesNotContain("Müller", anonymized, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(anonymized));
        var pdf = await ReadBytesAsync(harness, artifacts["anonymized_pdf"]);
        Assert.Equal("%PDF"u8.ToArray(), pdf[..4]);
        Assert.Equal(artifacts["anonymized_pdf"].Sha256, Convert.ToHexStringLower(SHA256.HashData(pdf)));
        Assert.False(File.Exists(Path.Join(harness.StorageDir, "processed", ProcessingHarness.Center, id.ToString("N") + ".pdf")));
    }

    public void Dispose() => dir.Dispose();

    private static void AssertNoPlainValues(SensitiveMeta meta) =>
        Assert.Equal((null, null, null, null, null, null, null),
            (meta.FirstName, meta.LastName, meta.DateOfBirth, meta.ExaminationDate, meta.ExaminationTime, meta.EndoscopeType, meta.EndoscopeSn));

    /// <summary>
    /// Every file under <c>STORAGE_DIR</c> except the original upload (which the ingest side stores; this harness
    /// ingests without encryption) holds none of <paramref name="values"/> as UTF-8 bytes.
    /// </summary>
    /// <param name="storedPath">The original upload, left out when it was stored as plaintext (null: nothing left out).</param>
    private static void AssertNotOnDisk(string storageDir, string? storedPath, params string[] values)
    {
        var original = storedPath is null ? null : Path.GetFullPath(Path.Combine(storageDir, storedPath));
        var files = Directory.EnumerateFiles(storageDir, "*", SearchOption.AllDirectories).Where(f => Path.GetFullPath(f) != original).ToList();
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var bytes = File.ReadAllBytes(file);
            foreach (var value in values)
            {
                Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(value)) < 0, $"'{value}' found in plaintext in {file}");
            }
        }
    }

    private static async Task<byte[]> ReadBytesAsync(ProcessingHarness harness, ProcessedArtifact artifact)
    {
        await using var stream = harness.Services.GetRequiredService<SensitiveArtifactWriter>().OpenRead(artifact.StorageClass, artifact.RelativePath);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy).WaitAsync(Timeout);
        return copy.ToArray();
    }

    private static async Task<string> ReadTextAsync(ProcessingHarness harness, ProcessedArtifact artifact) =>
        Encoding.UTF8.GetString(await ReadBytesAsync(harness, artifact));

    private static Task<bool> RunOnceAsync(ProcessingHarness harness) =>
        harness.Services.GetRequiredService<ProcessingWorker>().RunOnceAsync(CancellationToken.None).WaitAsync(Timeout);
}
