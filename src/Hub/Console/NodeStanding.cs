using LxAnnotate.Hub.Operators.Nodes;

namespace LxAnnotate.Hub.OperatorConsole;

/// <summary>A node's state in one word for the pages: inactive, never (no heartbeat yet), silent or online.</summary>
internal static class NodeStanding
{
    /// <summary>The same span as the "node silent" alert rule in deploy/monitoring.</summary>
    public static readonly TimeSpan SilentAfter = TimeSpan.FromMinutes(15);

    public static string Of(NodeView node, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (!node.Active)
        {
            return "inactive";
        }

        if (node.Health is not { } health)
        {
            return "never";
        }

        return now - health.LastSeen > SilentAfter ? "silent" : "online";
    }

    public static string Ago(DateTimeOffset? at, DateTimeOffset now)
    {
        if (at is not { } value)
        {
            return "—";
        }

        var age = now - value;
        return age.TotalSeconds < 90 ? $"{Math.Max(0, (int)age.TotalSeconds)} s ago"
            : age.TotalMinutes < 90 ? $"{(int)age.TotalMinutes} min ago"
            : age.TotalHours < 48 ? $"{(int)age.TotalHours} h ago"
            : $"{(int)age.TotalDays} d ago";
    }
}
