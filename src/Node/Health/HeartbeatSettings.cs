using System.Globalization;
using LxAnnotate.Shared.Configuration;

namespace LxAnnotate.Node.Health;

/// <summary>How often the node reports its state to the hub (<c>LXA_NODE_HEARTBEAT_SECONDS</c>, default 60; 0 turns it off).</summary>
internal sealed record HeartbeatSettings(TimeSpan Interval)
{
    public const string IntervalVariable = "LXA_NODE_HEARTBEAT_SECONDS";

    public const int DefaultSeconds = 60;

    public const int MaxSeconds = 86_400;

    public bool Enabled => Interval > TimeSpan.Zero;

    public static HeartbeatSettings Resolve(Func<string, string?> lookup)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        var text = lookup(IntervalVariable)?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return new HeartbeatSettings(TimeSpan.FromSeconds(DefaultSeconds));
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds <= MaxSeconds
            ? new HeartbeatSettings(TimeSpan.FromSeconds(seconds))
            : throw new ConfigurationContractException(IntervalVariable, string.Create(CultureInfo.InvariantCulture, $"must be a whole number of seconds from 0 (off) to {MaxSeconds}"));
    }
}
