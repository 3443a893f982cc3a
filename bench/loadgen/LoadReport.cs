using System.Globalization;
using System.Text;

namespace LxAnnotate.Bench.LoadGen;

/// <summary>The Markdown report: one row per scenario, the database cost per artifact, per-replica spread, and the ratio of each scenario to the first.</summary>
internal static class LoadReport
{
    public static string Render(LoadOptions options, IReadOnlyList<ScenarioResult> results, DateTimeOffset started)
    {
        var report = new StringBuilder();
        Line(report, $"{options.Nodes} simulated nodes (own certificates) in {options.Centers} centers, {options.Seconds} s per scenario (at most {options.MaxPerNode} artifacts per node); each node sends one artifact at a time: {options.SmallBytes / 1024} KiB PDFs with `Deliver`, every {options.LargeEvery}th a {options.LargeBytes / 1024} KiB video with `Offer` + `Upload`. {Environment.ProcessorCount} cores; {started:yyyy-MM-dd HH:mm}–{DateTimeOffset.UtcNow:HH:mm} UTC.");
        report.AppendLine();
        report.AppendLine("| replicas | stored | errors | artifacts/s | MiB/s | × first | Deliver p50 / p99 ms | Offer p50 / p99 ms | Upload p50 / p99 ms | per node min / median / max | Jain | load avg |");
        report.AppendLine("|---:|---:|---:|---:|---:|---:|---|---|---|---|---:|---|");
        var first = results[0];
        foreach (var r in results)
        {
            var counts = r.Nodes.Select(n => n.Stored).Order().ToList();
            Line(report, $"| {r.Replicas} | {r.Artifacts} | {Errors(r)} | {r.ArtifactsPerSecond:0.0} | {r.MibPerSecond:0.0} | {r.ArtifactsPerSecond / first.ArtifactsPerSecond:0.00} | {Pair(r.Deliveries)} | {Pair(r.Offers)} | {Pair(r.Uploads)} | {counts[0]} / {counts[counts.Count / 2]} / {counts[^1]} | {Percentiles.Jain(counts):0.000} | {r.LoadAverage} |");
        }

        report.AppendLine();
        report.AppendLine("| replicas | hub CPU s (per replica) | PostgreSQL CPU s | generator CPU s | DB statements / artifact | transactions / artifact | rows written / artifact | DB bytes / artifact | check: jobs = receipts, right center, one file each |");
        report.AppendLine("|---:|---|---:|---:|---:|---:|---:|---:|---|");
        foreach (var r in results)
        {
            var d = r.Database;
            var per = (double)Math.Max(r.Artifacts, 1);
            var statements = d.Statements is { } s ? (s / per).ToString("0.0", CultureInfo.InvariantCulture) : "n/a";
            var check = r.Stored.Holds ? $"holds ({r.Stored.Jobs} jobs)" : $"FAILS: {r.Stored}";
            Line(report, $"| {r.Replicas} | {r.ReplicaCpuSeconds.Sum():0.0} ({string.Join(", ", r.ReplicaCpuSeconds.Select(c => c.ToString("0.0", CultureInfo.InvariantCulture)))}) | {d.PostgresCpuSeconds:0.0} | {r.GeneratorCpuSeconds:0.0} | {statements} | {d.Transactions / per:0.0} | {d.RowsWritten / per:0.0} | {d.SizeBytes / per:0} | {check} |");
        }

        report.AppendLine();
        report.AppendLine("Statements per stored artifact (pg_stat_statements, the most frequent, last scenario):");
        report.AppendLine();
        var last = results[^1];
        foreach (var (statement, calls) in last.Database.CallsByStatement.Where(c => c.Value > 0).OrderByDescending(c => c.Value).Take(12))
        {
            Line(report, $"- {(double)calls / Math.Max(last.Artifacts, 1):0.00} × `{statement.Replace('`', '\'')}`");
        }

        return report.ToString();
    }

    private static string Errors(ScenarioResult r) => r.Errors == 0
        ? "0"
        : string.Join(", ", r.Nodes.SelectMany(n => n.Errors).GroupBy(e => e.Key).Select(g => $"{g.Sum(e => e.Value)} {g.Key}"));

    private static string Pair(IReadOnlyList<double> values) =>
        values.Count == 0 ? "–" : string.Create(CultureInfo.InvariantCulture, $"{Percentiles.Of(values, 50):0} / {Percentiles.Of(values, 99):0}");

    private static void Line(StringBuilder report, FormattableString text) => report.AppendLine(text.ToString(CultureInfo.InvariantCulture));
}
