using System.Diagnostics;

namespace LxAnnotate.Bench.LoadGen;

/// <summary>
/// Runs one scenario: a fresh deployment of N replicas, the simulated nodes spread over the replicas (node i on
/// replica i mod N, as a connection-level balancer spreads long-lived connections), a warm-up delivery per node,
/// then the measured window.
/// </summary>
internal static class ScenarioRunner
{
    public static async Task<ScenarioResult> RunAsync(int replicaCount, LoadOptions options)
    {
        await using var deployment = await LoadDeployment.StartAsync(replicaCount);
        var sites = await deployment.RegisterAsync(options.Nodes, options.Centers);
        var nodes = sites.Select((site, i) => new SimulatedNode(
            site, i % replicaCount, deployment.Replicas[i % replicaCount].TransferPort, deployment.ValidatesServer, options)).ToList();
        try
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(options.Seconds + 600));
            await Task.WhenAll(nodes.Select(n => n.WarmUpAsync(cancel.Token)));

            var postmaster = await DatabaseCounters.PostmasterPidAsync(deployment.Database.ConnectionString);
            var databaseBefore = await DatabaseCounters.ReadAsync(deployment.Database.ConnectionString, postmaster);
            var replicaBefore = deployment.Replicas.Select(r => r.CpuSeconds()).ToList();
            var generatorBefore = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
            var clock = Stopwatch.StartNew();
            var deadline = DateTime.UtcNow.AddSeconds(options.Seconds);
            await Task.WhenAll(nodes.Select(n => Task.Run(() => n.RunAsync(deadline, cancel.Token))));
            var seconds = clock.Elapsed.TotalSeconds;
            var generator = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds - generatorBefore;
            var replicaCpu = deployment.Replicas.Select((r, i) => r.CpuSeconds() - replicaBefore[i]).ToList();
            var database = (await DatabaseCounters.ReadAsync(deployment.Database.ConnectionString, postmaster)).Since(databaseBefore);
            var tallies = nodes.Select(n => n.Tally).ToList();
            var stored = await StoredCheck.ReadAsync(deployment, tallies);
            return new ScenarioResult(replicaCount, seconds, tallies, database, replicaCpu, generator, stored, LoadAverage());
        }
        finally
        {
            foreach (var node in nodes)
            {
                node.Dispose();
            }
        }
    }

    public static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
}
