namespace LxAnnotate.Node.Cli;

/// <summary>Where the node sends and whether the hub answered its health check, in <c>lxa-node status --json</c>.</summary>
internal sealed record StatusHub(string Target, bool Reachable, string? Error);
