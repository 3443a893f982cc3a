namespace LxAnnotate.Node.Cli;

/// <summary>What <c>lxa-node status --json</c> prints.</summary>
internal sealed record StatusReport(
    IReadOnlyDictionary<string, int> Counts, StatusPendingItem? OldestPending, string? LastError, StatusHub Hub, IReadOnlyList<StatusItem> Items);
