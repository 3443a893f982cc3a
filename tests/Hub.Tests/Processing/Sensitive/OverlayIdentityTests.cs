using System.Text.Json;
using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Processing;
using LxAnnotate.Hub.Processing.Worker;
using LxAnnotate.Hub.Tests.Support;
using LxAnnotate.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LxAnnotate.Hub.Tests.Processing.Sensitive;

/// <summary>
/// The worker's real overlay reading (ffmpeg, Tesseract) on a 1080p clip without any overlay: no field is kept, so
/// there is no identity, no hash, and the metadata waits for a person (issue #21: such a clip got "po Po", "Rn BE",
/// "Bu" and a patient hash computed from them).
/// </summary>
public sealed class OverlayIdentityTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    private static readonly string[] ProfileFields =
        ["examination_date", "examination_time", "patient_first_name", "patient_last_name", "patient_dob", "endoscope_type", "endoscope_sn"];

    private readonly TempDirectory dir = new();

    [Theory]
    [InlineData(TestDatabaseKind.PostgreSql)]
    [InlineData(TestDatabaseKind.Sqlite)]
    public async Task RunOnceAsync_TestsrcWithoutOverlay_NoFieldNoHashUnverified(TestDatabaseKind kind)
    {
        await using var harness = await ProcessingHarness.CreateAsync(kind, s => s.AddAnonymizationStages());
        // ffmpeg -f lavfi -i testsrc2=size=1920x1080:rate=25 -t 5
        var clip = await MediaFixtures.VideoAsync(dir.Path, "plain.mp4", width: 1920, height: 1080, fps: 25, seconds: 5);
        var id = await harness.AddJobAsync(await File.ReadAllBytesAsync(clip));

        Assert.True(await harness.Services.GetRequiredService<ProcessingWorker>().RunOnceAsync(CancellationToken.None).WaitAsync(Timeout));

        var job = await harness.JobAsync(id);
        Assert.True(job.Status == UploadJobStatus.Anonymized, $"{job.Status}: {job.ErrorCode} {job.ErrorDetail}");
        var meta = await harness.WithDbAsync(db => db.SensitiveMetas.AsNoTracking().SingleAsync(m => m.UploadJobId == id));
        Assert.Equal("ocr", meta.Source);
        Assert.Equal(
            (null, null, null, null, null, null, null),
            (meta.FirstName, meta.LastName, meta.DateOfBirth, meta.ExaminationDate, meta.ExaminationTime, meta.EndoscopeType, meta.EndoscopeSn));
        Assert.Null(meta.PatientHash);
        Assert.Null(meta.ExaminationHash);
        Assert.False(meta.IsVerified);
        using var quality = JsonDocument.Parse(meta.FieldQuality ?? "null");
        Assert.Equal(JsonValueKind.Object, quality.RootElement.ValueKind);
        var fields = quality.RootElement.EnumerateObject().ToList();
        Assert.Equal(ProfileFields.Order(StringComparer.Ordinal), fields.Select(f => f.Name).Order(StringComparer.Ordinal));
        Assert.All(fields, f => Assert.False(f.Value.GetProperty("kept").GetBoolean()));
        Assert.All(fields, f => Assert.NotEqual(JsonValueKind.Undefined, f.Value.GetProperty("dropped").ValueKind));
    }

    public void Dispose() => dir.Dispose();
}
