using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Metrics;
using LxAnnotate.Hub.Processing;
using LxAnnotate.Hub.Processing.Operators;
using LxAnnotate.Hub.Processing.Sensitive;
using LxAnnotate.Hub.Processing.Worker;
using LxAnnotate.Hub.Tests.Support;
using LxAnnotate.TestSupport;
using LxAnnotate.TestSupport.Media;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LxAnnotate.Hub.Tests.Processing.Sensitive;

/// <summary>
/// The worker's real overlay reading on a generated Olympus overlay: every field is kept, its quality is stored
/// beside the hashes (numbers only) and shown by <c>jobs show</c>, and the metadata counts as verified.
/// </summary>
public sealed class OverlayQualityTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);
    private readonly TempDirectory dir = new();

    [Theory]
    [InlineData(TestDatabaseKind.PostgreSql)]
    [InlineData(TestDatabaseKind.Sqlite)]
    public async Task RunOnceAsync_OlympusOverlay_FieldsKeptQualityStoredVerified(TestDatabaseKind kind)
    {
        await using var harness = await ProcessingHarness.CreateAsync(kind, s => s.AddAnonymizationStages());
        var patient = new FakeOverlayPatient("Käthe", "Groß-Schäfer", new DateOnly(1961, 5, 12), new DateOnly(2024, 3, 21), new TimeOnly(14, 35), "CF-HQ190L", "2901234");
        var video = Path.Join(dir.Path, "overlay.mp4");
        await OlympusOverlayFixture.CreateVideoAsync(video, patient).WaitAsync(Timeout);
        var id = await harness.AddJobAsync(await File.ReadAllBytesAsync(video));

        Assert.True(await harness.Services.GetRequiredService<ProcessingWorker>().RunOnceAsync(CancellationToken.None).WaitAsync(Timeout));

        var job = await harness.JobAsync(id);
        Assert.True(job.Status == UploadJobStatus.Anonymized, $"{job.Status}: {job.ErrorCode} {job.ErrorDetail}");
        var meta = await harness.WithDbAsync(db => db.SensitiveMetas.AsNoTracking().SingleAsync(m => m.UploadJobId == id));
        Assert.Equal(
            (patient.FirstName, patient.LastName, patient.DateOfBirth, patient.ExaminationDate, patient.ExaminationTime, patient.EndoscopeType, patient.EndoscopeSerial),
            (meta.FirstName, meta.LastName, meta.DateOfBirth!.Value, meta.ExaminationDate!.Value, meta.ExaminationTime!.Value, meta.EndoscopeType, meta.EndoscopeSn));
        Assert.True(meta.IsVerified);
        Assert.Equal(SensitiveHashes.PatientHash(patient.FirstName, patient.LastName, patient.DateOfBirth, ProcessingHarness.Center, ProcessingHarness.Salt), meta.PatientHash);
        Assert.NotNull(meta.ExaminationHash);
        var quality = FieldQualityJson.Parse(meta.FieldQuality);
        Assert.NotNull(quality);
        Assert.Equal(7, quality.Count);
        Assert.All(quality.Values, q => Assert.True(q.Kept && q.Confidence >= 0.6 && q.Agreement >= 0.5, $"{q}"));
        Assert.DoesNotContain("Käthe", meta.FieldQuality, StringComparison.Ordinal);
        Assert.DoesNotContain("2901234", meta.FieldQuality, StringComparison.Ordinal);

        // The worker's histogram got each decided field once, under the field's name, with the stored confidence.
        var confidence = harness.Services.GetRequiredService<WorkerMetrics>().FieldConfidence;
        Assert.All(quality, q =>
        {
            var observed = confidence.WithLabels(q.Key);
            Assert.Equal(1, observed.Count);
            Assert.Equal(q.Value.Confidence, observed.Sum, 1e-9);
        });

        await using var scope = harness.Services.CreateAsyncScope();
        var shown = await ActivatorUtilities.CreateInstance<ProcessingOperatorService>(scope.ServiceProvider).ShowJobAsync(id.ToString(), CancellationToken.None);
        Assert.Equal((meta.Id, "ocr", true, true, true), (shown.SensitiveMeta!.Id, shown.SensitiveMeta.Source, shown.SensitiveMeta.IsVerified,
            shown.SensitiveMeta.HasPatientHash, shown.SensitiveMeta.HasExaminationHash));
        Assert.Equal(quality, shown.SensitiveMeta.FieldQuality);
    }

    public void Dispose() => dir.Dispose();
}
