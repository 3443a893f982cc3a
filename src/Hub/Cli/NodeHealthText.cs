using System.Globalization;
using LxAnnotate.Hub.NodeHealth;

namespace LxAnnotate.Hub.Cli;

/// <summary>A node's latest heartbeat in one line of <c>nodes list</c> / <c>nodes show</c>.</summary>
internal static class NodeHealthText
{
    public static string Describe(NodeHealthView? health)
    {
        if (health is null)
        {
            return "last seen: never (no heartbeat yet)";
        }

        var text = string.Create(CultureInfo.InvariantCulture,
            $"last seen {OperatorText.Time(health.LastSeen)}  outbox queued {health.OutboxQueued}, offered {health.OutboxOffered}, uploading {health.OutboxUploading}, done {health.OutboxDone}, failed {health.OutboxFailed}");
        text += string.Create(CultureInfo.InvariantCulture,
            $"  oldest pending {health.OldestPendingAgeSeconds}s  quarantined {health.QuarantineCount}  last error {health.LastErrorClass ?? "none"}  clock offset {health.ClockOffsetMs} ms  version {health.Version ?? "?"}");
        return text;
    }
}
