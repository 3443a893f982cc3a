using System.Globalization;
using System.Security.Cryptography;
using LxAnnotate.EndToEnd.Tests.Support;
using LxAnnotate.TestSupport;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace LxAnnotate.EndToEnd.Tests.Replicas;

/// <summary>
/// Two site nodes push many small artifacts through nginx (TLS terminated) while the three replicas are
/// SIGKILLed and restarted in turn, until each replica was killed at least once: every artifact is stored exactly once.
/// </summary>
[Collection(ReplicaTestGroup.Name)]
public sealed class ReplicaNginxChurnTests(ITestOutputHelper output)
{
    /// <summary>Artifacts per node; the 500 run from <c>bench/replicas/run.sh</c>.</summary>
    public const string CountVariable = "LXA_TEST_REPLICA_CHURN_ARTIFACTS";

    /// <summary>At most this many kills (each replica once per cycle), however long the pushes take.</summary>
    private const int MaxRounds = 9;

    /// <summary>
    /// At most this many waves of pushes: should a wave end before every replica was killed during it, another wave
    /// (new artifacts) is pushed until each replica has been killed once.
    /// </summary>
    private const int MaxWaves = 4;

    [Fact]
    public async Task Push_TwoNodesWhileReplicasAreKilledAndRestartedInTurn_EveryArtifactStoredOnce()
    {
        var count = int.Parse(Environment.GetEnvironmentVariable(CountVariable) ?? "120", CultureInfo.InvariantCulture);
        await using var set = await NginxReplicaSet.StartAsync(passthrough: false, 3);
        await set.First.AddCenterAsync("center-a");
        await set.First.AddCenterAsync("center-b");
        using var nodeA = await NodeEnvironment.CreateAsync(set.First, "node-a", "center-a");
        using var nodeB = await NodeEnvironment.CreateAsync(set.First, "node-b", "center-b");
        nodeA.Environment["LXA_NODE_HUB_URL"] = set.NodeUrl;
        nodeB.Environment["LXA_NODE_HUB_URL"] = set.NodeUrl;
        var hashes = new HashSet<string>(StringComparer.Ordinal);
        var (rounds, waves, retried) = (0, 0, 0);
        while (waves < MaxWaves && (waves == 0 || (rounds < set.Replicas.Count && rounds < MaxRounds)))
        {
            var pushes = new List<Task<ProcessResult>>();
            foreach (var node in new[] { nodeA, nodeB })
            {
                var files = await WriteSmallFilesAsync(node, count, hashes, waves);
                pushes.Add(ProcessRunner.RunDotnetAsync(Binaries.Node, ["push", .. files], node.Environment, TimeSpan.FromMinutes(10)));
            }

            rounds = await ChurnAsync(set, Task.WhenAll(pushes), rounds, waveStart: 2 * count * waves, waveSize: 2 * count);
            var results = await Task.WhenAll(pushes);
            waves++;
            retried += results.Sum(r => (r.StandardOutput + r.StandardError).Split('\n').Count(l => l.Contains("not delivered (", StringComparison.Ordinal)));
            foreach (var result in results)
            {
                Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
                Assert.Equal(count, result.StandardOutput.Split('\n').Count(l => l.Contains(": delivered, upload job", StringComparison.Ordinal)));
            }
        }

        var total = waves * count;
        output.WriteLine($"artifacts={2 * total} waves={waves} kill_restart_rounds={rounds} node_retries={retried}");
        Assert.True(rounds >= set.Replicas.Count, $"{waves} waves of pushes ended after {rounds} kills, before every replica was killed once");
        await using var db = set.First.Db();
        var jobs = await db.UploadJobs.Include(j => j.SourceCenter).ToListAsync();
        Assert.Equal(2 * total, jobs.Count);
        Assert.Equal(hashes.Order(StringComparer.Ordinal), jobs.Select(j => j.ContentHash).Order(StringComparer.Ordinal));
        Assert.Equal(total, jobs.Count(j => j.SourceCenter!.CenterKey == "center-a"));
        Assert.Equal(total, jobs.Count(j => j.SourceCenter!.CenterKey == "center-b"));
        var stored = Directory.EnumerateFiles(Path.Combine(set.First.StorageDir, "centers"), "*", SearchOption.AllDirectories).ToList();
        Assert.Equal(2 * total, stored.Count);
    }

    /// <summary>
    /// Kills replica-1, -2, -3, -1, … (continuing from <paramref name="rounds"/> kills so far) each time another tenth
    /// of the wave's artifacts is stored, while <paramref name="pushes"/> run: by progress, not by time, so a fast
    /// machine cannot finish the pushes between two kills. Each replica is restarted at once in the background and is
    /// back up before its next kill. Returns the kills done so far.
    /// </summary>
    private static async Task<int> ChurnAsync(NginxReplicaSet set, Task pushes, int rounds, int waveStart, int waveSize)
    {
        var restarts = new Task?[set.Replicas.Count];
        var nextTenth = 1;
        try
        {
            while (rounds < MaxRounds && nextTenth < 10)
            {
                await Task.WhenAny(pushes, Task.Delay(TimeSpan.FromMilliseconds(50)));
                if (pushes.IsCompleted)
                {
                    break;
                }

                if (await StoredAsync(set) - waveStart < waveSize * nextTenth / 10)
                {
                    continue;
                }

                nextTenth++;
                var index = rounds % set.Replicas.Count;
                if (restarts[index] is { } pending)
                {
                    await pending;
                }

                await set.Replicas[index].KillAsync();
                restarts[index] = set.Replicas[index].RestartAsync();
                rounds++;
            }
        }
        finally
        {
            await Task.WhenAll(restarts.OfType<Task>());
        }

        return rounds;
    }

    private static async Task<int> StoredAsync(NginxReplicaSet set)
    {
        await using var db = set.First.Db();
        return await db.UploadJobs.CountAsync();
    }

    private static async Task<List<string>> WriteSmallFilesAsync(NodeEnvironment node, int count, HashSet<string> hashes, int wave)
    {
        var files = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var path = node.Root.Combine(string.Create(CultureInfo.InvariantCulture, $"report{wave}-{i:000}.pdf"));
            var content = RandomNumberGenerator.GetBytes(2000 + RandomNumberGenerator.GetInt32(30_000));
            await File.WriteAllBytesAsync(path, content);
            Assert.True(hashes.Add(Convert.ToHexStringLower(SHA256.HashData(content))));
            files.Add(path);
        }

        return files;
    }
}
