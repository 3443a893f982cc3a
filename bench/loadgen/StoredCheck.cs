using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.Bench.LoadGen;

/// <summary>
/// What the hub holds after a scenario, against what the nodes were told: one upload job per receipt, each in
/// the sending node's center, and one stored file per job.
/// </summary>
internal sealed record StoredCheck(int Jobs, int CenterMismatch, int Files, int Receipts)
{
    public bool Holds => Jobs == Receipts && CenterMismatch == 0 && Files == Jobs;

    public static async Task<StoredCheck> ReadAsync(LoadDeployment deployment, IReadOnlyList<NodeTally> nodes)
    {
        await using var db = deployment.Db();
        var perCenter = await db.UploadJobs
            .Where(j => j.SourceSystem == "loadgen")
            .GroupBy(j => j.SourceCenter!.CenterKey)
            .Select(g => new { Center = g.Key, Jobs = g.Count() })
            .ToListAsync();
        var receipts = nodes.GroupBy(n => n.CenterKey).ToDictionary(g => g.Key, g => g.Sum(n => n.Stored) + g.Count()); // + one warm-up each
        var wrong = perCenter.Sum(c => Math.Abs(c.Jobs - receipts.GetValueOrDefault(c.Center)));
        var files = Directory.Exists(deployment.StorageDir)
            ? Directory.EnumerateFiles(deployment.StorageDir, "*", SearchOption.AllDirectories).Count(f => !f.Contains("/incoming/", StringComparison.Ordinal))
            : 0;
        return new StoredCheck(perCenter.Sum(c => c.Jobs), wrong, files, receipts.Values.Sum());
    }
}
