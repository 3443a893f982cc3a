using LxAnnotate.EndToEnd.Tests.Support;
using LxAnnotate.TestSupport;

namespace LxAnnotate.EndToEnd.Tests.Deploy;

/// <summary>
/// <c>deploy/bootstrap-host.sh</c> from the release artifact, as the deployment guide runs it. It changes the
/// host (packages, the <c>lx-annotate</c> user, <c>/var/lib/lx-annotate</c>, <c>/etc/lx-annotate</c>), so the
/// real run happens only where <c>LXA_TEST_HOST_BOOTSTRAP=1</c> says the machine is disposable
/// (<c>scripts/test.sh</c> sets it for CI, which runs as root on a fresh Debian host); elsewhere the script's
/// refusal without root is checked.
/// </summary>
[Collection(DeployTestGroup.Name)]
public sealed class BootstrapHostTests(ReleaseArtifactFixture release)
{
    private const string Runtime = "/var/lib/lx-annotate";

    private static bool Root => Environment.UserName == "root";

    [Fact]
    public async Task BootstrapHost_FromTheRelease_PreparesTheHostAndIsIdempotent()
    {
        using var temp = new TempDirectory();
        var unpack = await ProcessRunner.RunAsync("tar", ["-xzf", release.Artifact, "-C", temp.Path], new Dictionary<string, string?>());
        Assert.True(unpack.ExitCode == 0, unpack.StandardError);
        var script = Directory.GetFiles(temp.Path, "bootstrap-host.sh", SearchOption.AllDirectories).Single();
        var prefix = temp.Combine("opt");

        if (!(Root && Environment.GetEnvironmentVariable("LXA_TEST_HOST_BOOTSTRAP") == "1"))
        {
            // The unprivileged caller must be able to read the unpacked script.
            File.SetUnixFileMode(temp.Path, File.GetUnixFileMode(temp.Path) | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            string[] command = Root ? ["setpriv", "--reuid", "nobody", "--regid", "nogroup", "--clear-groups", "--", "bash", script] : ["bash", script];
            var refused = await ProcessRunner.RunAsync(command[0], [.. command[1..], "--prefix", prefix], new Dictionary<string, string?>());
            Assert.Equal(1, refused.ExitCode);
            Assert.Equal("bootstrap-host.sh: run as root (sudo)", refused.StandardError.Trim());
            Assert.False(Directory.Exists(prefix));
            return;
        }

        var first = await ProcessRunner.RunAsync("bash", [script, "--prefix", prefix], new Dictionary<string, string?>(), TimeSpan.FromMinutes(10));
        var second = await ProcessRunner.RunAsync("bash", [script, "--prefix", prefix], new Dictionary<string, string?>(), TimeSpan.FromMinutes(10));

        Assert.True(first.ExitCode == 0, first.StandardOutput + first.StandardError);
        Assert.True(second.ExitCode == 0, second.StandardOutput + second.StandardError);
        Assert.Contains("Packages: nothing to install", second.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("User lx-annotate: exists", second.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"Environment file: {Runtime}/.env.systemd exists (left as it is)", second.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("Already installed: ffmpeg tesseract-ocr tesseract-ocr-eng tesseract-ocr-deu poppler-utils nginx openssl postgresql-client",
            second.StandardOutput, StringComparison.Ordinal);

        var user = await ProcessRunner.RunAsync("getent", ["passwd", "lx-annotate"], new Dictionary<string, string?>());
        Assert.Matches($"^lx-annotate:x:[0-9]+:[0-9]+:[^:]*:{Runtime}:/usr/sbin/nologin$", user.StandardOutput.Trim());
        Assert.Equal("750 lx-annotate:lx-annotate", await StatAsync(Runtime));
        Assert.Equal("750 lx-annotate:lx-annotate", await StatAsync($"{Runtime}/storage/centers"));
        foreach (var drop in new[] { "video_import", "report_import", "preanonymized_import", "sap_import", "sap_import_processed", "sap_import_failed" })
        {
            Assert.Equal("770 lx-annotate:lx-annotate", await StatAsync($"{Runtime}/import/{drop}"));
        }

        Assert.Equal("640 root:lx-annotate", await StatAsync($"{Runtime}/.env.systemd"));
        Assert.Equal("750 root:lx-annotate", await StatAsync("/etc/lx-annotate"));
        Assert.Equal("755 root:root", await StatAsync(Path.Combine(prefix, "releases")));
        Assert.Equal(await File.ReadAllTextAsync(Path.Combine(Path.GetDirectoryName(script)!, "tmpfiles.d", "lx-annotate.conf")),
            await File.ReadAllTextAsync("/etc/tmpfiles.d/lx-annotate.conf"));
    }

    private static async Task<string> StatAsync(string path)
    {
        var stat = await ProcessRunner.RunAsync("stat", ["-c", "%a %U:%G", path], new Dictionary<string, string?>());
        Assert.True(stat.ExitCode == 0, stat.StandardError);
        return stat.StandardOutput.Trim();
    }
}
