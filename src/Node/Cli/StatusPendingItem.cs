namespace LxAnnotate.Node.Cli;

/// <summary>The oldest outbox item not yet delivered, in <c>lxa-node status --json</c>.</summary>
internal sealed record StatusPendingItem(Guid Id, DateTimeOffset CreatedAt, string State, int Attempts);
