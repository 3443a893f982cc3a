using System.Globalization;
using System.Net.Http.Headers;
using System.Net;
using System.Text.Json;
using LxAnnotate.EndToEnd.Tests.Support;
using LxAnnotate.Hub.Domain;
using LxAnnotate.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.EndToEnd.Tests;

/// <summary>
/// <c>lxa-hub serve</c> and <c>lxa-hub worker</c> as separate real processes on one PostgreSQL database:
/// uploads through REST, processing by the worker, a worker killed mid-job and a second one finishing it.
/// </summary>
public sealed class WorkerEndToEndTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(240);

    [Fact]
    public async Task Worker_GoodAndCorruptVideoUploaded_ProbedAndErrorWhileHubKeepsServing()
    {
        await using var hub = await StartHubAsync();
        using var media = new TempDirectory();
        await using var worker = StartWorker(hub, ffmpegDir: null);

        var good = await UploadAsync(hub, await VideoAsync(media.Path, "good.mp4"));
        var corrupt = await UploadAsync(hub, await TruncatedAsync(media.Path, "corrupt.mp4"));

        var corruptStatus = await WaitForFinalStatusAsync(hub, corrupt);
        Assert.Equal("error", corruptStatus.GetProperty("status").GetString());
        Assert.Equal("media_integrity_failed", corruptStatus.GetProperty("error_code").GetString());
        Assert.StartsWith("the file is not a readable video", corruptStatus.GetProperty("error_detail").GetString(), StringComparison.Ordinal);

        // Probe, overlay OCR, masked video with its self-check; the clip has no overlay, so no name is read.
        var goodStatus = await WaitForFinalStatusAsync(hub, good);
        Assert.Equal("anonymized", goodStatus.GetProperty("status").GetString());
        await using (var db = hub.Db())
        {
            var job = await db.UploadJobs.AsNoTracking().SingleAsync(j => j.Id == good);
            Assert.Equal((320, 180, 25.0), (job.MediaInfo!.Width, job.MediaInfo.Height, job.MediaInfo.Fps));
            Assert.Equal(1, job.ProcessingLeaseToken);
            var masked = Path.Combine(hub.StorageDir, "processed", "center-a", good.ToString("N") + ".mp4");
            Assert.Equal(job.ProcessedVideoHash, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await File.ReadAllBytesAsync(masked))));
            var meta = await db.SensitiveMetas.AsNoTracking().SingleAsync(m => m.UploadJobId == good);
            Assert.Equal(meta.Id, goodStatus.GetProperty("sensitive_meta_id").GetInt64());
        }

        using var http = Http();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(hub.ApiUrl, "/healthz"))).StatusCode);
        Assert.False(worker.HasExited);

        var listed = await hub.OperatorAsync("jobs", "list", "--status", "error", "--json");
        Assert.True(listed.ExitCode == 0, listed.StandardError);
        var ids = JsonDocument.Parse(listed.StandardOutput).RootElement.EnumerateArray().Select(j => j.GetProperty("id").GetGuid()).ToList();
        Assert.Equal([corrupt], ids);

        var retried = await hub.OperatorAsync("jobs", "retry", corrupt.ToString(), "--actor", "ops-test");
        Assert.True(retried.ExitCode == 0, retried.StandardError);
        await WaitUntilAsync(hub, corrupt, j => j.ProcessingLeaseToken == 2 && j.Status == UploadJobStatus.Error);
        var again = await WaitForFinalStatusAsync(hub, corrupt);
        Assert.Equal("media_integrity_failed", again.GetProperty("error_code").GetString());
        await using (var db = hub.Db())
        {
            var audit = await db.AuditEvents.AsNoTracking().SingleAsync(a => a.Action == "job_retried");
            Assert.Equal(("ops-test", "job:" + corrupt.ToString("D")), (audit.Actor, audit.Target));
        }

        Assert.Equal(0, await worker.TerminateAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains($"job {good} finished: anonymized, error code none", worker.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("good.mp4", worker.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Worker_KilledDuringAJob_LeaseExpiresAndSecondWorkerFinishesItOnce()
    {
        await using var hub = await StartHubAsync();
        using var media = new TempDirectory();

        // The first worker's ffprobe takes long enough to be killed in the middle of the job.
        var slowTools = Directory.CreateDirectory(Path.Combine(media.Path, "slow-tools")).FullName;
        var slowProbe = Path.Combine(slowTools, "ffprobe");
        await File.WriteAllTextAsync(slowProbe, "#!/bin/sh\nsleep 20\nexec /usr/bin/ffprobe \"$@\"\n");
        File.SetUnixFileMode(slowProbe, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.CreateSymbolicLink(Path.Combine(slowTools, "ffmpeg"), "/usr/bin/ffmpeg");

        var first = StartWorker(hub, slowTools);
        var id = await UploadAsync(hub, await VideoAsync(media.Path, "clip.mp4"));
        await WaitUntilAsync(hub, id, j => j.Status == UploadJobStatus.Processing && j.ProcessingLeaseOwner!.Contains(
            ":" + first.Id.ToString(CultureInfo.InvariantCulture) + ":", StringComparison.Ordinal));
        await first.KillAsync();
        await first.DisposeAsync();

        await using var second = StartWorker(hub, ffmpegDir: null);
        var status = await WaitForFinalStatusAsync(hub, id);

        Assert.Equal("anonymized", status.GetProperty("status").GetString());
        await using var db = hub.Db();
        var job = await db.UploadJobs.AsNoTracking().SingleAsync(j => j.Id == id);
        Assert.Equal((2L, 1), (job.ProcessingLeaseToken, job.RetryCount));
        Assert.NotNull(job.MediaInfo);
        Assert.Null(job.ProcessingLeaseOwner);
        Assert.Single(second.Output.Split('\n'), l => l.Contains($"job {id} finished", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Worker_SigtermDuringAJob_ReleasesItForTheNextWorker()
    {
        await using var hub = await StartHubAsync();
        using var media = new TempDirectory();
        var slowTools = Directory.CreateDirectory(Path.Combine(media.Path, "slow-tools")).FullName;
        var slowProbe = Path.Combine(slowTools, "ffprobe");
        await File.WriteAllTextAsync(slowProbe, "#!/bin/sh\nsleep 20\nexec /usr/bin/ffprobe \"$@\"\n");
        File.SetUnixFileMode(slowProbe, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.CreateSymbolicLink(Path.Combine(slowTools, "ffmpeg"), "/usr/bin/ffmpeg");

        await using var worker = StartWorker(hub, slowTools, leaseSeconds: 600);
        var id = await UploadAsync(hub, await VideoAsync(media.Path, "clip.mp4"));
        await WaitUntilAsync(hub, id, j => j.Status == UploadJobStatus.Processing);

        Assert.Equal(0, await worker.TerminateAsync(TimeSpan.FromSeconds(60)));

        await using var db = hub.Db();
        var job = await db.UploadJobs.AsNoTracking().SingleAsync(j => j.Id == id);
        Assert.Equal((UploadJobStatus.Retrying, 0, (string?)null), (job.Status, job.RetryCount, job.ProcessingLeaseOwner));
        Assert.True(job.NextRetryAt <= DateTimeOffset.UtcNow);
    }

    /// <remarks>
    /// The worker is told a database address where nothing answers yet (a relay started later), as when the worker
    /// starts before the database or during its restart: it waits, says so, and works once the database answers.
    /// </remarks>
    [Fact]
    public async Task Worker_StartedBeforeTheDatabaseAnswers_WaitsThenProcesses()
    {
        await using var hub = await StartHubAsync();
        using var media = new TempDirectory();
        var relayPort = FreePort.Next();
        var environment = new Dictionary<string, string?>(WorkerEnvironment(hub, ffmpegDir: null))
        {
            ["DATABASE_URL"] = new UriBuilder(hub.Environment["DATABASE_URL"]!) { Port = relayPort }.Uri.ToString(),
        };

        await using var worker = ChildProcess.StartDotnet(Binaries.Hub, ["worker"], environment);
        await WaitForOutputAsync(worker, "the database is unreachable");
        await WaitForOutputAsync(worker, "checking again in 1 s");
        Assert.False(worker.HasExited);

        var postgres = new Npgsql.NpgsqlConnectionStringBuilder(PostgresTestDatabase.AdminConnectionString);
        await using var relay = TcpRelay.Start(relayPort, new IPEndPoint(IPAddress.Parse(postgres.Host!), postgres.Port));
        var id = await UploadAsync(hub, await TruncatedAsync(media.Path, "corrupt.mp4"));
        var status = await WaitForFinalStatusAsync(hub, id);

        Assert.Equal("media_integrity_failed", status.GetProperty("error_code").GetString());
        Assert.Contains($"job {id} finished: error, error code media_integrity_failed", worker.Output, StringComparison.Ordinal);
        Assert.Equal(0, await worker.TerminateAsync(TimeSpan.FromSeconds(60)));
    }

    [Fact]
    public async Task Worker_DatabaseRefusesIt_ExitsWithOneLineNamingTheRefusal()
    {
        await using var hub = await StartHubAsync();
        var url = new UriBuilder(hub.Environment["DATABASE_URL"]!) { UserName = "no_such_role" }.Uri.ToString();
        var environment = new Dictionary<string, string?>(WorkerEnvironment(hub, ffmpegDir: null)) { ["DATABASE_URL"] = url };

        var result = await ProcessRunner.RunDotnetAsync(Binaries.Hub, ["worker"], environment, Timeout);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("lxa-hub: the database refused the worker: 28000: role \"no_such_role\" does not exist", Assert.Single(result.ErrorLines));
    }

    [Fact]
    public async Task Worker_NoSalt_RefusesToStartWithOneLine()
    {
        await using var hub = await StartHubAsync();
        var environment = new Dictionary<string, string?>(hub.Environment) { ["DJANGO_SALT"] = "default_salt" };

        var result = await ProcessRunner.RunDotnetAsync(Binaries.Hub, ["worker"], environment, Timeout);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("lxa-hub: DJANGO_SALT: the hash salt is the placeholder 'default_salt'; set the real salt", Assert.Single(result.ErrorLines));
    }

    private static Task<HubProcess> StartHubAsync() =>
        HubProcess.StartAsync(new Dictionary<string, string?>
        {
            // Standalone on PostgreSQL with anonymous uploads: processing is under test, not authentication.
            ["ENDOREG_DEPLOYMENT_ROLE"] = "standalone",
            ["ENFORCE_AUTH"] = "0",
            ["LXA_HUB_TRANSFER_URL"] = "off",
            ["OIDC_ISSUER"] = null,
            ["OIDC_AUDIENCE"] = null,
            ["OIDC_JWKS_FILE"] = null,
            ["LX_ANNOTATE_DEFAULT_CENTER"] = "center-a",
        }).ContinueWith(async t =>
        {
            var hub = await t;
            await hub.AddCenterAsync("center-a");
            return hub;
        }, TaskScheduler.Default).Unwrap();

    private static ChildProcess StartWorker(HubProcess hub, string? ffmpegDir, int leaseSeconds = 3) =>
        ChildProcess.StartDotnet(Binaries.Hub, ["worker"], WorkerEnvironment(hub, ffmpegDir, leaseSeconds));

    private static Dictionary<string, string?> WorkerEnvironment(HubProcess hub, string? ffmpegDir, int leaseSeconds = 3) =>
        new(hub.Environment)
        {
            ["DJANGO_SALT"] = "e2e-salt",
            ["LX_ANNOTATE_WORKER_LEASE_SECONDS"] = leaseSeconds.ToString(CultureInfo.InvariantCulture),
            ["LX_ANNOTATE_WORKER_POLL_SECONDS"] = "0.2",
            ["LX_ANNOTATE_FFMPEG_DIR"] = ffmpegDir,
        };

    private static async Task WaitForOutputAsync(ChildProcess process, string text)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!process.Output.Contains(text, StringComparison.Ordinal))
        {
            Assert.False(process.HasExited, $"exited before printing '{text}':\n{process.Output}");
            Assert.True(DateTime.UtcNow < deadline, $"no '{text}' in:\n{process.Output}");
            await Task.Delay(100);
        }
    }

    // Plain http (the hub does not sign node certificates here); generous: the machine may be busy.
    private static HttpClient Http() => new() { Timeout = TimeSpan.FromSeconds(60) };

    private static async Task<Guid> UploadAsync(HubProcess hub, string file)
    {
        using var http = Http();
        using var content = new MultipartFormDataContent();
        var part = new ByteArrayContent(await File.ReadAllBytesAsync(file));
        part.Headers.ContentType = new MediaTypeHeaderValue("video/mp4");
        content.Add(part, "file", Path.GetFileName(file));
        content.Add(new StringContent("endoscopy"), "source_system");
        using var response = await http.PostAsync(new Uri(hub.ApiUrl, "/api/upload/"), content);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("upload_id").GetGuid();
    }

    private static async Task<JsonElement> WaitForFinalStatusAsync(HubProcess hub, Guid id)
    {
        using var http = Http();
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            var body = await http.GetStringAsync(new Uri(hub.ApiUrl, $"/api/upload/{id}/status/"));
            var root = JsonDocument.Parse(body).RootElement.Clone();
            var status = root.GetProperty("status").GetString();
            if (status is "anonymized" or "error" or "lost")
            {
                return root;
            }

            Assert.True(DateTime.UtcNow < deadline, $"job {id} still '{status}':\n{hub.Output}");
            await Task.Delay(200);
        }
    }

    private static async Task WaitUntilAsync(HubProcess hub, Guid id, Func<UploadJob, bool> condition)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            await using (var db = hub.Db())
            {
                var job = await db.UploadJobs.AsNoTracking().SingleAsync(j => j.Id == id);
                if (condition(job))
                {
                    return;
                }
            }

            Assert.True(DateTime.UtcNow < deadline, $"job {id} did not reach the expected state");
            await Task.Delay(100);
        }
    }

    private static async Task<string> VideoAsync(string directory, string name)
    {
        var path = Path.Combine(directory, name);
        var result = await ProcessRunner.RunAsync("ffmpeg",
            ["-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25:duration=1",
             "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", path],
            new Dictionary<string, string?>(), TimeSpan.FromSeconds(60));
        Assert.True(result.ExitCode == 0, result.StandardError);
        return path;
    }

    private static async Task<string> TruncatedAsync(string directory, string name)
    {
        var whole = await VideoAsync(directory, "whole-" + name);
        var bytes = await File.ReadAllBytesAsync(whole);
        var path = Path.Combine(directory, name);
        await File.WriteAllBytesAsync(path, bytes[..(bytes.Length / 2)]);
        return path;
    }
}
