using LxAnnotate.Hub.Data;
using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Operators.Centers;
using LxAnnotate.Hub.Operators.Nodes;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.Hub.OperatorConsole;

/// <summary>What the overview page reads, limited to the centers the operator may see.</summary>
internal sealed class ConsoleOverviewQueries(LxaDbContext db, CenterOperations centers, NodeOperations nodes, TimeProvider time)
{
    public static readonly TimeSpan ErrorWindow = TimeSpan.FromHours(24);

    public async Task<IReadOnlyList<CenterOverview>> ForAsync(ConsoleOperator user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var visible = (await centers.ListCentersAsync(cancellationToken)).Where(c => user.MaySee(c.CenterKey)).ToList();
        if (visible.Count == 0)
        {
            return [];
        }

        var keys = visible.Select(c => c.CenterKey).ToList();
        var allNodes = await nodes.ListNodesAsync(null, cancellationToken);
        var since = time.GetUtcNow() - ErrorWindow;
        var jobs = await db.UploadJobs.AsNoTracking().Where(j => keys.Contains(j.SourceCenter!.CenterKey))
            .GroupBy(j => new { j.SourceCenter!.CenterKey, j.Status })
            .Select(g => new { g.Key.CenterKey, g.Key.Status, Count = g.Count() }).ToListAsync(cancellationToken);
        var errors = await db.UploadJobs.AsNoTracking()
            .Where(j => keys.Contains(j.SourceCenter!.CenterKey) && j.Status == UploadJobStatus.Error && j.UpdatedAt >= since)
            .GroupBy(j => j.SourceCenter!.CenterKey)
            .Select(g => new { CenterKey = g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var transfers = await db.Transfers.AsNoTracking().Where(t => t.State == TransferState.Open)
            .Join(db.Centers.Where(c => keys.Contains(c.CenterKey)), t => t.CenterId, c => c.Id,
                (t, c) => new { c.CenterKey, Transfer = t })
            .ToListAsync(cancellationToken);

        return visible.Select(c => new CenterOverview(
                c.CenterKey,
                c.Name,
                allNodes.Where(n => n.CenterKey == c.CenterKey).ToList(),
                jobs.Where(j => j.CenterKey == c.CenterKey).ToDictionary(j => j.Status.ToWire(), j => j.Count, StringComparer.Ordinal),
                errors.FirstOrDefault(e => e.CenterKey == c.CenterKey)?.Count ?? 0,
                transfers.Where(t => t.CenterKey == c.CenterKey).Select(t => TransferRow.Of(t.Transfer, t.CenterKey)).OrderBy(t => t.UpdatedAt).ToList()))
            .ToList();
    }
}
