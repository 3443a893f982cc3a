using LxAnnotate.Hub.Data;
using LxAnnotate.Hub.Domain;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.Hub.NodeHealth;

/// <summary>The latest heartbeat per node, replaced by each new one (read with <see cref="NodeHealthQueries"/>).</summary>
internal sealed class NodeHealthStore(LxaDbContext db)
{
    /// <summary>
    /// Stores <paramref name="heartbeat"/> as the latest state of <paramref name="nodeKey"/>. An update first, an insert
    /// when the node has no row yet; two replicas inserting for the same node at once meet the primary key, and the
    /// loser updates instead.
    /// </summary>
    public async Task RecordAsync(string nodeKey, string thumbprint, NodeHeartbeat heartbeat, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(heartbeat);
        var nodeId = await db.NetworkNodes.Where(n => n.NodeKey == nodeKey).Select(n => n.Id).SingleAsync(cancellationToken);
        var report = ToReport(nodeId, thumbprint, heartbeat, receivedAt);
        if (await UpdateAsync(report, cancellationToken) > 0)
        {
            return;
        }

        db.NodeHealthReports.Add(report);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (DbErrors.IsUniqueViolation(ex))
        {
            db.Entry(report).State = EntityState.Detached;
            if (await UpdateAsync(report, cancellationToken) == 0)
            {
                throw;
            }
        }
    }

    private static NodeHealthReport ToReport(long nodeId, string thumbprint, NodeHeartbeat heartbeat, DateTimeOffset receivedAt) => new()
    {
        NodeId = nodeId,
        CertificateThumbprint = thumbprint,
        ReceivedAt = receivedAt,
        SentAt = heartbeat.SentAt,
        ClockOffsetMs = (long)(heartbeat.SentAt - receivedAt).TotalMilliseconds,
        OutboxQueued = heartbeat.OutboxQueued,
        OutboxOffered = heartbeat.OutboxOffered,
        OutboxUploading = heartbeat.OutboxUploading,
        OutboxDone = heartbeat.OutboxDone,
        OutboxFailed = heartbeat.OutboxFailed,
        OldestPendingAgeSeconds = heartbeat.OldestPendingAgeSeconds,
        LastErrorClass = heartbeat.LastErrorClass,
        QuarantineCount = heartbeat.QuarantineCount,
        NodeVersion = heartbeat.Version,
    };

    private Task<int> UpdateAsync(NodeHealthReport r, CancellationToken cancellationToken) =>
        db.NodeHealthReports.Where(h => h.NodeId == r.NodeId).ExecuteUpdateAsync(s => s
            .SetProperty(h => h.CertificateThumbprint, r.CertificateThumbprint)
            .SetProperty(h => h.ReceivedAt, r.ReceivedAt)
            .SetProperty(h => h.SentAt, r.SentAt)
            .SetProperty(h => h.ClockOffsetMs, r.ClockOffsetMs)
            .SetProperty(h => h.OutboxQueued, r.OutboxQueued)
            .SetProperty(h => h.OutboxOffered, r.OutboxOffered)
            .SetProperty(h => h.OutboxUploading, r.OutboxUploading)
            .SetProperty(h => h.OutboxDone, r.OutboxDone)
            .SetProperty(h => h.OutboxFailed, r.OutboxFailed)
            .SetProperty(h => h.OldestPendingAgeSeconds, r.OldestPendingAgeSeconds)
            .SetProperty(h => h.LastErrorClass, r.LastErrorClass)
            .SetProperty(h => h.QuarantineCount, r.QuarantineCount)
            .SetProperty(h => h.NodeVersion, r.NodeVersion), cancellationToken);
}
