using LxAnnotate.Hub.Data;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.Hub.NodeHealth;

/// <summary>Reading the nodes' latest heartbeats, for the CLI and the console.</summary>
internal static class NodeHealthQueries
{
    /// <summary>The latest heartbeat of each of <paramref name="nodeIds"/> that has sent one.</summary>
    public static async Task<IReadOnlyDictionary<long, NodeHealthView>> LatestHealthAsync(this LxaDbContext db, IReadOnlyCollection<long> nodeIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var reports = await db.NodeHealthReports.AsNoTracking().Where(h => nodeIds.Contains(h.NodeId)).ToListAsync(cancellationToken);
        return reports.ToDictionary(r => r.NodeId, NodeHealthView.From);
    }
}
