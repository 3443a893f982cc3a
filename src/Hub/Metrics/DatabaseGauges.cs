using LxAnnotate.Hub.Data;
using LxAnnotate.Hub.Domain;
using Microsoft.EntityFrameworkCore;
using Prometheus;

namespace LxAnnotate.Hub.Metrics;

/// <summary>
/// The gauges read from the database at each scrape: the job queue by center and status, transfers by state, and per
/// active node its latest heartbeat and certificate expiry. Every replica reads the same rows, so these are the
/// federation's values whichever replica is scraped (alert rules take <c>max</c> over instances).
/// </summary>
internal sealed class DatabaseGauges(HubMetrics metrics, LxaDbContext db)
{
    public async Task CollectAsync(CancellationToken cancellationToken)
    {
        var centers = await db.Centers.AsNoTracking().Select(c => new { c.Id, c.CenterKey }).ToDictionaryAsync(c => c.Id, c => c.CenterKey, cancellationToken);
        await CollectJobsAsync(centers, cancellationToken);
        await CollectTransfersAsync(cancellationToken);
        await CollectNodesAsync(centers, cancellationToken);
    }

    private async Task CollectJobsAsync(Dictionary<long, string> centers, CancellationToken cancellationToken)
    {
        var counts = await db.UploadJobs.AsNoTracking().GroupBy(j => new { j.SourceCenterId, j.Status })
            .Select(g => new { g.Key.SourceCenterId, g.Key.Status, Count = g.Count() }).ToListAsync(cancellationToken);
        foreach (var center in centers.Values)
        {
            foreach (var status in Enum.GetValues<UploadJobStatus>())
            {
                metrics.UploadJobs.WithLabels(center, status.ToWire()).Set(0);
            }
        }

        foreach (var row in counts.Where(r => centers.ContainsKey(r.SourceCenterId)))
        {
            metrics.UploadJobs.WithLabels(centers[row.SourceCenterId], row.Status.ToWire()).Set(row.Count);
        }
    }

    private async Task CollectTransfersAsync(CancellationToken cancellationToken)
    {
        var counts = await db.Transfers.AsNoTracking().GroupBy(t => t.State).Select(g => new { State = g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        foreach (var state in Enum.GetValues<TransferState>())
        {
            metrics.Transfers.WithLabels(state.ToWire()).Set(counts.FirstOrDefault(c => c.State == state)?.Count ?? 0);
        }
    }

    private async Task CollectNodesAsync(Dictionary<long, string> centers, CancellationToken cancellationToken)
    {
        var nodes = await db.NetworkNodes.AsNoTracking().Where(n => n.IsActive).Select(n => new { n.Id, n.NodeKey, n.OwningCenterId }).ToListAsync(cancellationToken);
        var ids = nodes.Select(n => n.Id).ToList();
        var health = await db.NodeHealthReports.AsNoTracking().Where(h => ids.Contains(h.NodeId)).ToDictionaryAsync(h => h.NodeId, cancellationToken);
        var certificates = await db.NodeCertificates.AsNoTracking()
            .Where(c => ids.Contains(c.NodeId) && c.Status == NodeCertificateStatus.Active)
            .Select(c => new { c.NodeId, c.NotAfter }).ToListAsync(cancellationToken);
        var expiry = certificates.GroupBy(c => c.NodeId).ToDictionary(g => g.Key, g => g.Max(c => c.NotAfter));

        var seen = new HashSet<(string Node, string Center)>();
        foreach (var node in nodes.Where(n => centers.ContainsKey(n.OwningCenterId)))
        {
            var labels = (node.NodeKey, centers[node.OwningCenterId]);
            seen.Add(labels);
            if (expiry.TryGetValue(node.Id, out var notAfter))
            {
                metrics.NodeCertificateExpiry.WithLabels(labels.NodeKey, labels.Item2).Set(notAfter.ToUnixTimeSeconds());
            }

            if (health.TryGetValue(node.Id, out var report))
            {
                SetHealth(labels.NodeKey, labels.Item2, report);
            }
        }

        RemoveGone(seen);
    }

    private void SetHealth(string node, string center, NodeHealthReport report)
    {
        metrics.NodeLastSeen.WithLabels(node, center).Set(report.ReceivedAt.ToUnixTimeMilliseconds() / 1000.0);
        metrics.NodeOldestPending.WithLabels(node, center).Set(report.OldestPendingAgeSeconds);
        metrics.NodeQuarantined.WithLabels(node, center).Set(report.QuarantineCount);
        metrics.NodeClockOffset.WithLabels(node, center).Set(report.ClockOffsetMs / 1000.0);
        metrics.NodeOutbox.WithLabels(node, center, "queued").Set(report.OutboxQueued);
        metrics.NodeOutbox.WithLabels(node, center, "offered").Set(report.OutboxOffered);
        metrics.NodeOutbox.WithLabels(node, center, "uploading").Set(report.OutboxUploading);
        metrics.NodeOutbox.WithLabels(node, center, "done").Set(report.OutboxDone);
        metrics.NodeOutbox.WithLabels(node, center, "failed").Set(report.OutboxFailed);
    }

    /// <summary>A node deactivated (or moved) since the last scrape loses its series, so no alert fires for it.</summary>
    private void RemoveGone(HashSet<(string Node, string Center)> seen)
    {
        Gauge[] perNode = [metrics.NodeLastSeen, metrics.NodeOldestPending, metrics.NodeQuarantined, metrics.NodeClockOffset, metrics.NodeCertificateExpiry];
        foreach (var gauge in perNode)
        {
            foreach (var labels in gauge.GetAllLabelValues().Where(l => !seen.Contains((l[0], l[1]))).ToList())
            {
                gauge.RemoveLabelled(labels);
            }
        }

        foreach (var labels in metrics.NodeOutbox.GetAllLabelValues().Where(l => !seen.Contains((l[0], l[1]))).ToList())
        {
            metrics.NodeOutbox.RemoveLabelled(labels);
        }
    }
}
