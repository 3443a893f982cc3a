using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Processing.Pipeline;
using LxAnnotate.Hub.Processing.Worker;
using LxAnnotate.Hub.Tests.Support;
using LxAnnotate.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LxAnnotate.Hub.Tests.Processing.Worker;

/// <summary>One claim-process-write round of the worker on real clips, real ffprobe and a real database.</summary>
public sealed class ProcessingWorkerTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private readonly TempDirectory dir = new();

    [Theory]
    [InlineData(TestDatabaseKind.PostgreSql)]
    [InlineData(TestDatabaseKind.Sqlite)]
    public async Task RunOnceAsync_VideoWithAnonymizer_AnonymizedWithProbeHashAndSensitiveMeta(TestDatabaseKind kind)
    {
        var anonymizer = new RecordingAnonymizer();
        await using var harness = await ProcessingHarness.CreateAsync(kind, s => s.AddSingleton<IVideoAnonymizer>(anonymizer));
        var clip = await MediaFixtures.VideoAsync(dir.Path, "clip.mp4", width: 640, height: 360);
        var id = await harness.AddJobAsync(await File.ReadAllBytesAsync(clip));

        Assert.True(await RunOnceAsync(harness));

        var job = await harness.JobAsync(id);
        Assert.Equal(UploadJobStatus.Anonymized, job.Status);
        Assert.Equal((640, 360), (job.MediaInfo!.Width, job.MediaInfo.Height));
        var call = Assert.Single(anonymizer.Calls);
        Assert.Equal(EndoscopyProcessor.OlympusCv1500, call.Processor.Name);
        Assert.Equal(Path.Join(harness.StorageDir, "processed", ProcessingHarness.Center, id.ToString("N") + ".mp4"), call.Output);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await File.ReadAllBytesAsync(call.Output))), job.ProcessedVideoHash);
        var meta = await harness.WithDbAsync(db => db.SensitiveMetas.AsNoTracking().SingleAsync(m => m.UploadJobId == id));
        Assert.Equal(("Anna", "Schmidt", "ocr"), (meta.FirstName!, meta.LastName!, meta.Source));
        Assert.DoesNotContain(harness.Logs.Lines, l => l.Message.Contains("Schmidt", StringComparison.Ordinal) || l.Message.Contains("1980", StringComparison.Ordinal));
        Assert.False(await RunOnceAsync(harness));
    }

    [Theory]
    [InlineData(TestDatabaseKind.PostgreSql)]
    [InlineData(TestDatabaseKind.Sqlite)]
    public async Task RunOnceAsync_CorruptThenGoodVideo_FirstErrorSecondProcessed(TestDatabaseKind kind)
    {
        await using var harness = await ProcessingHarness.CreateAsync(kind, s => s.AddSingleton<IVideoAnonymizer>(new RecordingAnonymizer()));
        var corrupt = await harness.AddJobAsync(await File.ReadAllBytesAsync(await MediaFixtures.TruncatedAsync(dir.Path, "cut.mp4")));
        harness.Clock.Advance(TimeSpan.FromSeconds(1));
        var audio = await harness.AddJobAsync(await File.ReadAllBytesAsync(await MediaFixtures.AudioOnlyAsync(dir.Path, "a.m4a")), "video/mp4");
        harness.Clock.Advance(TimeSpan.FromSeconds(1));
        var good = await harness.AddJobAsync(await File.ReadAllBytesAsync(await MediaFixtures.VideoAsync(dir.Path, "ok.mp4")));

        for (var i = 0; i < 3; i++)
        {
            Assert.True(await RunOnceAsync(harness));
        }

        var failed = await harness.JobAsync(corrupt);
        Assert.Equal((UploadJobStatus.Error, UploadJobErrorCode.MediaIntegrityFailed), (failed.Status, failed.ErrorCode!.Value));
        Assert.StartsWith("the file is not a readable video", failed.ErrorDetail, StringComparison.Ordinal);
        var noVideo = await harness.JobAsync(audio);
        Assert.Equal(("the file has no video stream (audio only)", UploadJobStatus.Error), (noVideo.ErrorDetail!, noVideo.Status));
        Assert.Equal(UploadJobStatus.Anonymized, (await harness.JobAsync(good)).Status);
    }

    [Theory]
    [InlineData(TestDatabaseKind.PostgreSql)]
    [InlineData(TestDatabaseKind.Sqlite)]
    public async Task RunOnceAsync_StoredFileMissing_Lost(TestDatabaseKind kind)
    {
        await using var harness = await ProcessingHarness.CreateAsync(kind);
        var id = await harness.AddJobAsync();
        File.Delete(Path.Join(harness.StorageDir, (await harness.JobAsync(id)).StoragePath));

        Assert.True(await RunOnceAsync(harness));

        var job = await harness.JobAsync(id);
        Assert.Equal((UploadJobStatus.Lost, UploadJobErrorCode.SourceMissing, "the stored file is missing"), (job.Status, job.ErrorCode!.Value, job.ErrorDetail!));
    }

    [Fact]
    public async Task RunOnceAsync_NoAnonymizerInstalled_ProbedThenInvalidConfiguration()
    {
        await using var harness = await ProcessingHarness.CreateAsync(TestDatabaseKind.Sqlite);
        var id = await harness.AddJobAsync(await File.ReadAllBytesAsync(await MediaFixtures.VideoAsync(dir.Path, "ok.mp4")));

        Assert.True(await RunOnceAsync(harness));

        var job = await harness.JobAsync(id);
        Assert.Equal((UploadJobStatus.Error, UploadJobErrorCode.InvalidConfiguration), (job.Status, job.ErrorCode!.Value));
        Assert.Equal("video anonymization (overlay OCR and masking) is not available on this hub", job.ErrorDetail);
        Assert.NotNull(job.MediaInfo);
    }

    [Fact]
    public async Task RunOnceAsync_PreanonymizedVideo_AnonymizedWithoutTheStage()
    {
        var anonymizer = new RecordingAnonymizer();
        await using var harness = await ProcessingHarness.CreateAsync(TestDatabaseKind.Sqlite, s => s.AddSingleton<IVideoAnonymizer>(anonymizer));
        var id = await harness.AddJobAsync(await File.ReadAllBytesAsync(await MediaFixtures.VideoAsync(dir.Path, "pre.mp4")),
            hints: new Dictionary<string, string> { ["sidecar_path"] = "/import/preanonymized_import/pre.json" });

        Assert.True(await RunOnceAsync(harness));

        var job = await harness.JobAsync(id);
        Assert.Equal(UploadJobStatus.Anonymized, job.Status);
        Assert.NotNull(job.MediaInfo);
        Assert.Empty(anonymizer.Calls);
        Assert.Equal("/import/preanonymized_import/pre.json", job.ProcessingProvenance.SidecarPath);
    }

    [Fact]
    public async Task RunOnceAsync_UnknownContentType_InvalidInput()
    {
        await using var harness = await ProcessingHarness.CreateAsync(TestDatabaseKind.Sqlite);
        var id = await harness.AddJobAsync(Guid.NewGuid().ToByteArray(), "text/plain");

        Assert.True(await RunOnceAsync(harness));

        var job = await harness.JobAsync(id);
        Assert.Equal((UploadJobStatus.Error, UploadJobErrorCode.InvalidInput), (job.Status, job.ErrorCode!.Value));
    }

    [Fact]
    public async Task RunOnceAsync_StageThrows_RetryingAndWorkerGoesOn()
    {
        await using var harness = await ProcessingHarness.CreateAsync(TestDatabaseKind.Sqlite, s => s.AddSingleton<IVideoAnonymizer>(new CrashingAnonymizer()));
        var id = await harness.AddJobAsync(await File.ReadAllBytesAsync(await MediaFixtures.VideoAsync(dir.Path, "ok.mp4")));

        Assert.True(await RunOnceAsync(harness));

        var job = await harness.JobAsync(id);
        Assert.Equal((UploadJobStatus.Retrying, UploadJobErrorCode.ProcessingFailed, 1), (job.Status, job.ErrorCode!.Value, job.RetryCount));
        Assert.Equal("processing failed unexpectedly (IOException)", job.ErrorDetail);
        Assert.Equal(harness.Clock.Now.AddSeconds(30), job.NextRetryAt);
    }

    [Fact]
    public async Task RunOnceAsync_JobWhoseWorkersKeptDying_ErrorInsteadOfLooping()
    {
        await using var harness = await ProcessingHarness.CreateAsync(TestDatabaseKind.Sqlite);
        var id = await harness.AddJobAsync();
        for (var i = 0; i < 3; i++)
        {
            Assert.NotNull(await harness.ClaimAsync("dies-" + i));
            harness.Clock.Advance(harness.Settings.LeaseDuration + TimeSpan.FromSeconds(1));
        }

        Assert.True(await RunOnceAsync(harness));

        var job = await harness.JobAsync(id);
        Assert.Equal((UploadJobStatus.Error, UploadJobErrorCode.ProcessingFailed), (job.Status, job.ErrorCode!.Value));
        Assert.StartsWith("processing was interrupted on every attempt", job.ErrorDetail, StringComparison.Ordinal);
    }

    public void Dispose() => dir.Dispose();

    private static Task<bool> RunOnceAsync(ProcessingHarness harness) =>
        harness.Services.GetRequiredService<ProcessingWorker>().RunOnceAsync(CancellationToken.None).WaitAsync(Timeout);

    private sealed class CrashingAnonymizer : IVideoAnonymizer
    {
        public Task<VideoAnonymization> AnonymizeAsync(ProcessingJob job, VideoMediaInfo media, EndoscopyProcessor processor, string outputPath, CancellationToken cancellationToken) =>
            throw new IOException("tool crashed");
    }
}
