namespace LxAnnotate.Node.Sync;

/// <summary>What <c>lxa-node push</c> was asked to send.</summary>
/// <param name="Files">The files, as given.</param>
/// <param name="CenterKey">Center to declare, or null for the node's own.</param>
/// <param name="SourceSystem">Source system to report, or null for the node's own.</param>
/// <param name="ContentType">Media type for every file, or null to decide by extension.</param>
/// <param name="Parallel">Files sent at once (1-64), or 0 for the configured default.</param>
/// <param name="Timeout">How long to try before giving up (undelivered items stay queued).</param>
internal sealed record PushRequest(
    IReadOnlyList<FileInfo> Files, string? CenterKey, string? SourceSystem, string? ContentType, int Parallel, TimeSpan Timeout);
