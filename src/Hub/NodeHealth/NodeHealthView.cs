using LxAnnotate.Hub.Domain;

namespace LxAnnotate.Hub.NodeHealth;

/// <summary>A node's latest heartbeat as operators see it (CLI, console): counts, ages and classes only.</summary>
internal sealed record NodeHealthView(
    DateTimeOffset LastSeen,
    long ClockOffsetMs,
    long OutboxQueued,
    long OutboxOffered,
    long OutboxUploading,
    long OutboxDone,
    long OutboxFailed,
    long OldestPendingAgeSeconds,
    string? LastErrorClass,
    long QuarantineCount,
    string? Version)
{
    public static NodeHealthView From(NodeHealthReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new(report.ReceivedAt, report.ClockOffsetMs, report.OutboxQueued, report.OutboxOffered, report.OutboxUploading,
            report.OutboxDone, report.OutboxFailed, report.OldestPendingAgeSeconds, report.LastErrorClass, report.QuarantineCount, report.NodeVersion);
    }
}
