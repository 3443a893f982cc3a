using System.Globalization;
using System.Security.Cryptography;
using LxAnnotate.EndToEnd.Tests.Support;
using LxAnnotate.Hub.Domain;
using LxAnnotate.TestSupport;
using LxAnnotate.TestSupport.Browser;
using LxAnnotate.TestSupport.Media;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.EndToEnd.Tests.OperatorConsole;

/// <summary>
/// A video with known patient values on its overlay goes the real way (mTLS gRPC transfer, then the real
/// <c>lxa-hub worker</c> with OCR, SensitiveMeta and the masked video) and ends anonymized; then no console page's HTML
/// holds any of those values.
/// </summary>
[Collection(ConsoleTestGroup.Name)]
public sealed class ConsolePatientValueTests(ConsoleFixture fixture)
{
    private static readonly TimeSpan ProcessingTimeout = TimeSpan.FromMinutes(4);

    private static readonly FakeOverlayPatient Patient = new(
        "Hildegard", "Oberhuber", new DateOnly(1948, 11, 23), new DateOnly(2026, 5, 6), new TimeOnly(10, 17), "CF-H190L", "2297731");

    private HubProcess Hub => fixture.Hub;

    [Fact]
    public async Task Console_AfterVideoWithKnownNamesProcessed_NoPageHoldsAPatientValue()
    {
        var use = await Hub.OperatorAsync("processors", "use", "olympus_cv_1500", "--default-for", "center-a");
        Assert.True(use.ExitCode == 0, use.StandardError);
        using var media = new TempDirectory();
        var video = media.Combine("exam.mp4");
        await OlympusOverlayFixture.CreateVideoAsync(video, Patient).WaitAsync(ProcessingTimeout);
        var content = await File.ReadAllBytesAsync(video);
        var certificate = await Hub.AddNodeAsync("site-overlay", "center-a");
        var client = Hub.Client(certificate);
        var transferId = await SlowUpload.OfferAsync(client, content, "center-a", "video/mp4", "exam.mp4");
        using (var upload = await SlowUpload.StartAsync(Hub, client, transferId, content))
        {
            await upload.FinishAsync();
        }

        var job = await ProcessAsync(Convert.ToHexStringLower(SHA256.HashData(content)));
        await using (var db = Hub.Db())
        {
            // The worker read the values off the overlay: there was something to leak.
            Assert.Equal("ocr", await db.SensitiveMetas.Where(m => m.UploadJobId == job.Id).Select(m => m.Source).SingleAsync());
        }

        await using var context = await fixture.Chromium.NewContextAsync();
        var page = await ConsoleSignIn.SignInAsync(context, Hub, ConsoleFixture.HubWideOperator, "/console/jobs/" + job.Id);
        try
        {
            Assert.Equal("anonymized", await page.InnerTextAsync("#job-status"));
            string[] paths =
            [
                "/console/", "/console/centers", "/console/nodes", "/console/nodes/site-overlay", "/console/transfers",
                "/console/transfers?state=completed", "/console/jobs", "/console/jobs?center=center-a&status=anonymized",
                "/console/jobs?center=center-a&status=anonymized&type=video%2Fmp4", "/console/jobs/" + job.Id, "/console/audit",
            ];
            foreach (var path in paths)
            {
                var response = await page.GotoAsync(new Uri(Hub.ApiUrl, path).AbsoluteUri);
                Assert.True(response!.Status == 200, $"{path}: {response.Status}");
                AssertNoPatientValue(path, await response.TextAsync());
                AssertNoPatientValue(path, await page.ContentAsync());
            }

            await page.GotoAsync(new Uri(Hub.ApiUrl, "/console/jobs?center=center-a&status=anonymized").AbsoluteUri);
            Assert.Contains(job.Id.ToString(), await page.InnerTextAsync("#jobs"), StringComparison.Ordinal);
        }
        finally
        {
            await HeadlessChromium.ScreenshotAsync(page, nameof(Console_AfterVideoWithKnownNamesProcessed_NoPageHoldsAPatientValue));
        }
    }

    /// <summary>The real worker against the console hub's environment, until the job is anonymized (an error or loss fails at once).</summary>
    private async Task<UploadJob> ProcessAsync(string contentHash)
    {
        await using var worker = ChildProcess.StartDotnet(Binaries.Hub, ["worker"], new Dictionary<string, string?>(Hub.Environment)
        {
            ["DJANGO_SALT"] = "console-e2e-salt",
            ["LX_ANNOTATE_WORKER_POLL_SECONDS"] = "0.2",
        });
        var deadline = DateTime.UtcNow + ProcessingTimeout;
        while (true)
        {
            await using (var db = Hub.Db())
            {
                var job = await db.UploadJobs.AsNoTracking().SingleOrDefaultAsync(j => j.ContentHash == contentHash);
                Assert.False(job?.Status is UploadJobStatus.Error or UploadJobStatus.Lost, $"job ended {job?.Status} {job?.ErrorCode}: {job?.ErrorDetail}\n{worker.Output}");
                if (job?.Status == UploadJobStatus.Anonymized)
                {
                    return job;
                }
            }

            Assert.False(worker.HasExited, "lxa-hub worker exited:\n" + worker.Output);
            Assert.True(DateTime.UtcNow < deadline, "the video was not anonymized in time\n" + worker.Output);
            await Task.Delay(200);
        }
    }

    /// <summary>The names, the birth date as the overlay shows it and as ISO, and the endoscope serial.</summary>
    private static void AssertNoPatientValue(string path, string html)
    {
        string[] values =
        [
            Patient.FirstName, Patient.LastName,
            Patient.DateOfBirth.ToString(Patient.DobFormat, CultureInfo.InvariantCulture),
            Patient.DateOfBirth.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            Patient.EndoscopeSerial,
        ];
        foreach (var value in values)
        {
            Assert.False(html.Contains(value, StringComparison.OrdinalIgnoreCase), $"{path} holds the patient value {value}");
        }
    }
}
