using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using LxAnnotate.TestSupport;
using LxAnnotate.TestSupport.Media;

namespace LxAnnotate.EndToEnd.Tests;

/// <summary>
/// <c>scripts/standalone.sh</c> runs the whole pipeline: a video dropped into <c>import/video_import</c> ends
/// <c>anonymized</c> with its masked video, with no command after the script; the development secrets it needs are
/// made once and reused, and never for a production role. A file that is no video is quarantined instead.
/// </summary>
public sealed class StandalonePipelineTests
{
    private static readonly TimeSpan PipelineTimeout = TimeSpan.FromMinutes(6);

    private static readonly FakeOverlayPatient Patient = new(
        "Käthe", "Schäfer", new DateOnly(1958, 11, 3), new DateOnly(2026, 2, 12), new TimeOnly(10, 5), "CF-HQ190L", "2710934");

    [Fact]
    public async Task StandaloneScript_VideoDropped_EndsAnonymizedWithMaskedVideo_SecretsMadeOnceAndReused()
    {
        using var root = new TempDirectory();
        using var media = new TempDirectory();
        var video = media.Combine("exam.mp4");
        await OlympusOverlayFixture.CreateVideoAsync(video, Patient).WaitAsync(TimeSpan.FromMinutes(2));
        var envFile = Path.Combine(root.Path, "standalone.env");
        var salt = Path.Combine(root.Path, "certs", "dev-django-salt");
        var key = Path.Combine(root.Path, "certs", "dev-master.key");

        string jobId;
        await using (var script = StartScript(root))
        {
            await WaitForAsync(() => Task.FromResult(script.Output.Contains("LxAnnotate standalone is running", StringComparison.Ordinal)), script, TimeSpan.FromMinutes(2));
            Assert.Contains($"Made a development DJANGO_SALT_FILE LX_ANNOTATE_MASTER_KEY_FILE in {Path.Combine(root.Path, "certs")}", script.Output, StringComparison.Ordinal);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(salt));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));

            // Text named like a video is no video: quarantined with its reason, never a job.
            var drop = Path.Combine(root.Path, "data", "import", "video_import");
            await File.WriteAllTextAsync(Path.Combine(drop, "notes.mp4"), "Befund folgt\n");
            File.Copy(video, Path.Combine(drop, "exam.mp4.part"));
            File.Move(Path.Combine(drop, "exam.mp4.part"), Path.Combine(drop, "exam.mp4"));

            JsonElement job = default;
            await WaitForAsync(async () =>
            {
                var listed = await Hub(envFile, "jobs", "list", "--json");
                job = JsonDocument.Parse(listed.StandardOutput).RootElement.EnumerateArray().FirstOrDefault();
                var status = job.ValueKind == JsonValueKind.Object ? job.GetProperty("status").GetString() : null;
                Assert.False(status is "error" or "lost", $"the job ended {status}: {job}\n{script.Output}\n{Log(root, "worker.log")}");
                return status == "anonymized";
            }, script, PipelineTimeout);
            jobId = job.GetProperty("id").GetString()!;
            var all = await Hub(envFile, "jobs", "list", "--json");
            Assert.Single(JsonDocument.Parse(all.StandardOutput).RootElement.EnumerateArray());
            var reason = Path.Combine(root.Path, "data", "quarantine", "notes.mp4.reason.json");
            Assert.True(File.Exists(reason), "the text named .mp4 was not quarantined\n" + Log(root, "node.log"));
            Assert.Equal("refused_content", JsonDocument.Parse(await File.ReadAllTextAsync(reason)).RootElement.GetProperty("what").GetString());

            var show = await Hub(envFile, "jobs", "show", jobId);
            Assert.True(show.ExitCode == 0, show.StandardError);
            var masked = Field(show.StandardOutput, "masked video");
            Assert.True(new FileInfo(masked).Length > 0, "the masked video is missing: " + masked);
            var read = Field(show.StandardOutput, "read values").Split(' ');
            Assert.Equal(["lxa-hub", "--env-file", envFile, "encrypted", "cat"], read[..5]);

            // The command jobs show prints is the one a person runs to see what was extracted.
            var values = await ProcessRunner.RunDotnetAsync(Binaries.Hub, read[1..], new Dictionary<string, string?>());
            Assert.True(values.ExitCode == 0, values.StandardError);
            var stored = JsonDocument.Parse(values.StandardOutput).RootElement.EnumerateObject()
                .Where(p => p.Value.ValueKind == JsonValueKind.String).Select(p => p.Value.GetString()).ToList();
            Assert.Contains(Patient.LastName, stored);

            Assert.Equal(0, await script.TerminateAsync(TimeSpan.FromSeconds(90)));
            Assert.Contains("Stopped.", script.Output, StringComparison.Ordinal);
        }

        var saltBytes = await File.ReadAllBytesAsync(salt);
        var keyBytes = await File.ReadAllBytesAsync(key);
        await using (var again = StartScript(root))
        {
            await WaitForAsync(() => Task.FromResult(again.Output.Contains("LxAnnotate standalone is running", StringComparison.Ordinal)), again, TimeSpan.FromMinutes(2));
            Assert.Contains("Using the development DJANGO_SALT_FILE LX_ANNOTATE_MASTER_KEY_FILE", again.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("Made a development", again.Output, StringComparison.Ordinal);
            Assert.Equal(saltBytes, await File.ReadAllBytesAsync(salt));
            Assert.Equal(keyBytes, await File.ReadAllBytesAsync(key));
            Assert.Equal(0, await again.TerminateAsync(TimeSpan.FromSeconds(90)));
        }
    }

    [Theory]
    [InlineData("central_hub")]
    [InlineData("SITE_NODE")]
    public async Task StandaloneScript_ProductionRole_RefusedBeforeMakingAnything(string role)
    {
        using var root = new TempDirectory();
        var target = Path.Combine(root.Path, "install");

        var run = await ProcessRunner.RunAsync("bash", [Path.Combine(Binaries.RepositoryRoot, "scripts", "standalone.sh"), target],
            new Dictionary<string, string?> { ["ENDOREG_DEPLOYMENT_ROLE"] = role, ["LXA_STANDALONE_SKIP_BUILD"] = "1" }, TimeSpan.FromMinutes(1));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"runs role 'standalone' only, but ENDOREG_DEPLOYMENT_ROLE={role} is set", run.StandardError, StringComparison.Ordinal);
        Assert.False(Directory.Exists(target));
    }

    private static ChildProcess StartScript(TempDirectory root)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(Binaries.RepositoryRoot, "scripts", "standalone.sh"));
        start.ArgumentList.Add(root.Path);
        ProcessRunner.ApplyEnvironment(start, new Dictionary<string, string?>
        {
            ["LXA_STANDALONE_PORT"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["LXA_STANDALONE_SKIP_BUILD"] = "1",
            ["LXA_STANDALONE_CONFIGURATION"] = Binaries.Configuration,
            ["WATCHER_STABLE_AFTER_SECONDS"] = "1",
            ["WATCHER_POLL_INTERVAL_SECONDS"] = "1",
        });
        return ChildProcess.Start(start);
    }

    /// <summary><c>lxa-hub --env-file ENV …</c> as a person runs it next to the install, with nothing else set.</summary>
    private static Task<ProcessResult> Hub(string envFile, params string[] arguments) =>
        ProcessRunner.RunDotnetAsync(Binaries.Hub, ["--env-file", envFile, .. arguments], new Dictionary<string, string?>(), TimeSpan.FromMinutes(1));

    /// <summary>The value of one <c>  label:   value</c> line of <c>jobs show</c>.</summary>
    private static string Field(string output, string label)
    {
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("  " + label + ":", StringComparison.Ordinal));
        Assert.True(line is not null, $"no '{label}' line in:\n{output}");
        return line[(label.Length + 3)..].Trim();
    }

    private static string Log(TempDirectory root, string name)
    {
        var path = Path.Combine(root.Path, "logs", name);
        return File.Exists(path) ? File.ReadAllText(path) : "";
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, ChildProcess script, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            Assert.False(script.HasExited, "standalone.sh exited:\n" + script.Output);
            Assert.True(DateTime.UtcNow < deadline, $"condition not met within {timeout}:\n{script.Output}");
            await Task.Delay(1000);
        }
    }
}
