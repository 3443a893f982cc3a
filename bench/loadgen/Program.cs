using LxAnnotate.Bench.LoadGen;

// Many site nodes against 1 and 3 hub replicas on this machine (issue #23): errors, fairness between nodes,
// latency of Offer and of small deliveries, and what each artifact costs the database. See docs/scaling.md.
// Usage: bench/loadgen/run.sh [options]   (starts a throwaway PostgreSQL; options: LoadOptions.Usage)
LoadOptions options;
try
{
    options = LoadOptions.Parse(args);
}
catch (ArgumentException e)
{
    await Console.Error.WriteLineAsync(e.Message);
    return 2;
}

var started = DateTimeOffset.UtcNow;
var results = new List<ScenarioResult>();
foreach (var replicas in options.Replicas)
{
    await Console.Error.WriteLineAsync($"{replicas} replica(s), {options.Nodes} nodes, {options.Seconds} s …");
    var result = await ScenarioRunner.RunAsync(replicas, options);
    await Console.Error.WriteLineAsync($"  {result.Artifacts} stored, {result.Errors} errors, {result.ArtifactsPerSecond:0.0}/s, load {result.LoadAverage}");
    results.Add(result);
}

var report = LoadReport.Render(options, results, started);
await Console.Out.WriteAsync(report);
if (options.Report is not null)
{
    await File.WriteAllTextAsync(options.Report, report);
}

return results.All(r => r.Stored.Holds) ? 0 : 1;
