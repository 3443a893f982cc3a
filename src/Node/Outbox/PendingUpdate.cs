namespace LxAnnotate.Node.Outbox;

/// <summary>An item update waiting for the outbox's next group commit; <see cref="Committed"/> ends once it is durable.</summary>
internal sealed record PendingUpdate(string Sql, (string Name, object? Value)[] Parameters)
{
    public TaskCompletionSource Committed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
