using LxAnnotate.EndToEnd.Tests.Support;
using LxAnnotate.TestSupport;

namespace LxAnnotate.EndToEnd.Tests.Deploy;

/// <summary>What <c>deploy/build-release.sh</c> puts into the archive.</summary>
[Collection(DeployTestGroup.Name)]
public sealed class ReleaseArtifactTests(ReleaseArtifactFixture release)
{
    [Fact]
    public async Task BuildRelease_Artifact_HoldsSelfContainedBinariesDeployFilesVersionAndValidChecksums()
    {
        using var temp = new TempDirectory();
        var checksum = await ProcessRunner.RunAsync(
            "bash", ["-c", "cd \"$(dirname \"$1\")\" && sha256sum --quiet -c \"$(basename \"$1\").sha256\"", "-", release.Artifact], new Dictionary<string, string?>());
        Assert.True(checksum.ExitCode == 0, "artifact .sha256: " + checksum.StandardError + checksum.StandardOutput);

        var unpack = await ProcessRunner.RunAsync("tar", ["-xzf", release.Artifact, "-C", temp.Path], new Dictionary<string, string?>(), TimeSpan.FromMinutes(2));
        Assert.True(unpack.ExitCode == 0, unpack.StandardError);
        var top = Assert.Single(Directory.GetDirectories(temp.Path));
        var version = (await File.ReadAllTextAsync(Path.Combine(top, "VERSION"))).Trim();
        Assert.Equal($"lx-annotate-{version}-linux-x64", Path.GetFileName(top));
        Assert.Equal($"lx-annotate-{version}-linux-x64.tar.gz", Path.GetFileName(release.Artifact));

        var sums = await ProcessRunner.RunAsync("bash", ["-c", "cd \"$1\" && sha256sum --quiet --strict -c SHA256SUMS", "-", top], new Dictionary<string, string?>(), TimeSpan.FromMinutes(1));
        Assert.True(sums.ExitCode == 0, "SHA256SUMS: " + sums.StandardOutput + sums.StandardError);

        foreach (var program in new[] { "hub/lxa-hub", "node/lxa-node" })
        {
            var path = Path.Combine(top, program);
            Assert.True(File.GetUnixFileMode(path).HasFlag(UnixFileMode.UserExecute), $"{program} is not executable");
        }

        // Self-contained: the hub's runtime ships beside it; the node is one Native AOT executable (no runtime, no
        // assemblies, no debug symbols), so the host needs no .NET for either.
        Assert.True(File.Exists(Path.Combine(top, "hub", "libcoreclr.so")), "lxa-hub is not self-contained");
        Assert.Equal(["libe_sqlite3.so", "lxa-node"], Directory.GetFiles(Path.Combine(top, "node")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var nodeHelp = await ProcessRunner.RunAsync(Path.Combine(top, "node", "lxa-node"), ["--help"], new Dictionary<string, string?>());
        Assert.True(nodeHelp.ExitCode == 0, nodeHelp.StandardError);
        Assert.Contains("push", nodeHelp.StandardOutput, StringComparison.Ordinal);

        foreach (var file in new[] { "deploy/deploy.sh", "deploy/acceptance-smoke.sh", "deploy/bootstrap-host.sh", "deploy/.env.systemd.example", "deploy/tmpfiles.d/lx-annotate.conf", "deploy/systemd/lx-annotate-hub.service", "deploy/deployment.md" })
        {
            Assert.True(File.Exists(Path.Combine(top, file)), $"{file} missing from the release");
        }

        Assert.False(File.Exists(Path.Combine(top, "deploy", "build-release.sh")));
        var help = await ProcessRunner.RunAsync(Path.Combine(top, "hub", "lxa-hub"), ["--help"], new Dictionary<string, string?>());
        Assert.Contains("migrate-data-dir", help.StandardOutput, StringComparison.Ordinal);
    }
}
