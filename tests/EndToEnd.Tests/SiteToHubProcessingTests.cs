using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using LxAnnotate.EndToEnd.Tests.Support;
using LxAnnotate.Hub.Domain;
using LxAnnotate.TestSupport.Media;
using LxAnnotate.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.EndToEnd.Tests;

/// <summary>
/// The whole path of a video: dropped into a site's <c>import/video_import</c>, taken by <c>lxa-node run</c>,
/// streamed over mTLS gRPC to <c>lxa-hub serve</c>, processed by a separate <c>lxa-hub worker</c> (probe,
/// overlay OCR with the center's processor profile, SensitiveMeta, masked video with its self-check).
/// </summary>
public sealed class SiteToHubProcessingTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(4);

    private static readonly FakeOverlayPatient Patient = new(
        "Jürgen", "Müller", new DateOnly(1961, 4, 17), new DateOnly(2026, 3, 2), new TimeOnly(9, 41), "GIF-H190", "2100457");

    [Fact]
    public async Task VideoDroppedAtSite_EndsAnonymizedAtHub_WithSensitiveMetaAndMaskedVideo()
    {
        await using var hub = await HubProcess.StartAsync();
        await hub.AddCenterAsync("center-a");
        var use = await hub.OperatorAsync("processors", "use", "olympus_cv_1500", "--default-for", "center-a");
        Assert.True(use.ExitCode == 0, use.StandardError);
        using var node = await NodeEnvironment.CreateAsync(hub, "node-a", "center-a");
        using var media = new TempDirectory();
        var video = media.Combine("exam.mp4");
        await OlympusOverlayFixture.CreateVideoAsync(video, Patient).WaitAsync(Timeout);
        var originalHash = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(video)));

        await using var worker = ChildProcess.StartDotnet(Binaries.Hub, ["worker"], new Dictionary<string, string?>(hub.Environment)
        {
            ["DJANGO_SALT"] = "site-to-hub-e2e-salt",
            ["LX_ANNOTATE_WORKER_POLL_SECONDS"] = "0.2",
        });
        await using var run = ChildProcess.StartDotnet(Binaries.Node, ["run"], node.Environment);
        var drop = node.Root.Combine("import", "video_import");
        await WaitAsync(() => Task.FromResult(Directory.Exists(drop)), run, "the drop folder was not created");
        File.Copy(video, Path.Combine(drop, "exam.mp4.part"));
        File.Move(Path.Combine(drop, "exam.mp4.part"), Path.Combine(drop, "exam.mp4"));

        UploadJob? job = null;
        await WaitAsync(async () =>
        {
            await using var db = hub.Db();
            job = await db.UploadJobs.AsNoTracking().SingleOrDefaultAsync(j => j.ContentHash == originalHash);
            Assert.False(job?.Status is UploadJobStatus.Error or UploadJobStatus.Lost, $"job ended {job?.Status} {job?.ErrorCode}: {job?.ErrorDetail}\n{worker.Output}");
            return job?.Status == UploadJobStatus.Anonymized;
        }, run, "the dropped video was not anonymized at the hub\n" + worker.Output);

        Assert.Equal(IngestMode.Transfer, job!.IngestMode);
        Assert.Equal("node-a", job.ProcessingProvenance.SourceNodeKey);
        Assert.False(File.Exists(Path.Combine(drop, "exam.mp4")));

        // The node's default retention deletes its copy after success; the job says so, as the original's watcher writes it.
        Assert.Equal("delete_after_success", job.RetentionPolicy);
        Assert.Equal("upload_watcher", job.StorageTier);

        // The masked video: stored, hash recorded, same frame size as the original.
        var masked = Path.Combine(hub.StorageDir, "processed", "center-a", job.Id.ToString("N") + ".mp4");
        Assert.Equal(job.ProcessedVideoHash, Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(masked))));
        Assert.NotEqual(originalHash, job.ProcessedVideoHash);
        Assert.Equal((1920, 1080), (job.MediaInfo!.Width, job.MediaInfo.Height));

        // SensitiveMeta: the values read from the overlay, kept in encrypted storage (not in plain columns).
        await using var check = hub.Db();
        var meta = await check.SensitiveMetas.AsNoTracking().SingleAsync(m => m.UploadJobId == job.Id);
        Assert.Equal("ocr", meta.Source);
        Assert.Null(meta.LastName);
        Assert.Matches("^[0-9a-f]{64}$", meta.PatientHash!);
        Assert.NotNull(meta.ValuesPath);
        var values = await hub.OperatorAsync("encrypted", "cat", Path.Combine(hub.StorageDir, meta.ValuesPath!));
        Assert.True(values.ExitCode == 0, values.StandardError);
        var json = JsonDocument.Parse(values.StandardOutput).RootElement;
        var stored = json.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String).Select(p => p.Value.GetString()).ToList();
        Assert.Contains(Patient.FirstName, stored);
        Assert.Contains(Patient.LastName, stored);
        Assert.Contains(Patient.DateOfBirth.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), stored);
        Assert.Contains(Patient.EndoscopeSerial, stored);

        // No patient value in any process output.
        foreach (var output in new[] { worker.Output, run.Output, hub.Output })
        {
            Assert.DoesNotContain(Patient.LastName, output, StringComparison.Ordinal);
            Assert.DoesNotContain(Patient.FirstName, output, StringComparison.Ordinal);
        }
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, ChildProcess run, string failure)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!await condition())
        {
            Assert.False(run.HasExited, "lxa-node run exited:\n" + run.Output);
            Assert.True(DateTime.UtcNow < deadline, failure);
            await Task.Delay(200);
        }
    }
}
