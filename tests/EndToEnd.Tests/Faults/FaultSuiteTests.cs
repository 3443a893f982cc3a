using System.Text.Json;
using LxAnnotate.TestSupport;

namespace LxAnnotate.EndToEnd.Tests.Faults;

/// <summary>
/// The reduced set of <c>bench/faults</c> (docs/reliability.md) on the binaries these tests were built with: real
/// <c>lxa-hub serve</c> on a PostgreSQL cluster of the suite's own (it restarts it, so never the shared test
/// cluster), two <c>lxa-node run</c> and a REST sender, one fault each. It mounts tmpfs file systems and makes a
/// network namespace, so it needs root (CI runs as root); elsewhere the script's refusal is checked.
/// </summary>
public sealed class FaultSuiteTests
{
    private static bool Root => Environment.UserName == "root";

    [Theory]
    [InlineData("hub-kill-transfer")]
    [InlineData("pg-restart-transfer")]
    [InlineData("disk-full-hub")]
    [InlineData("net-partition")]
    public async Task ReducedFault_EveryArtifactStoredOnceNothingLost(string fault)
    {
        using var temp = new TempDirectory();
        var json = temp.Combine("outcome.json");
        var script = Path.Combine(Binaries.RepositoryRoot, "bench", "faults", "run.sh");
        var environment = new Dictionary<string, string?>
        {
            ["LXA_FAULTS_HUB_DLL"] = Binaries.Hub,
            ["LXA_FAULTS_NODE_DLL"] = Binaries.Node,
        };

        if (!Root)
        {
            var refused = await ProcessRunner.RunAsync("bash", [script, "--reduced", "--only", fault], environment);
            Assert.Equal(2, refused.ExitCode);
            Assert.Contains("needs root", refused.StandardError, StringComparison.Ordinal);
            return;
        }

        var run = await ProcessRunner.RunAsync("bash", [script, "--reduced", "--only", fault, "--json", json], environment, TimeSpan.FromMinutes(8));

        var report = run.StandardOutput + run.StandardError;
        Assert.True(File.Exists(json), report);
        var outcome = Assert.Single(JsonDocument.Parse(await File.ReadAllTextAsync(json)).RootElement.EnumerateArray());
        Assert.True(outcome.GetProperty("tried").GetInt32() > 0, report);
        Assert.Equal(outcome.GetProperty("tried").GetInt32(), outcome.GetProperty("stored_once").GetInt32());
        Assert.Equal(0, outcome.GetProperty("bytes_lost").GetInt64());
        Assert.Equal(0, outcome.GetProperty("duplicates").GetInt32());
        Assert.True(outcome.GetProperty("survived").GetBoolean(), report);
        Assert.Contains("faults survived 1/1, bytes lost 0, duplicates 0", run.StandardOutput, StringComparison.Ordinal);
        Assert.True(run.ExitCode == 0, report);
    }
}
