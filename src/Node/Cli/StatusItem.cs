namespace LxAnnotate.Node.Cli;

/// <summary>One outbox item in <c>lxa-node status --json</c>.</summary>
internal sealed record StatusItem(Guid Id, string State, string Sha256, long Size, string? UploadJobId, string? LastError);
