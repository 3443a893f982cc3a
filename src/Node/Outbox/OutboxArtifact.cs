namespace LxAnnotate.Node.Outbox;

/// <summary>A ready file that a boundary (watcher, SAP import, push) hands to the outbox.</summary>
/// <param name="SourcePath">The file in its drop folder; the outbox moves it away.</param>
/// <param name="ContentType">Media type decided by the boundary (by extension and folder).</param>
/// <param name="Entrypoint">Which entry took it (e.g. <c>watcher.video_import</c>, <c>cli.push</c>).</param>
/// <param name="CenterKey">Declared center, or null for the node's default center.</param>
/// <param name="SourceSystem">Source system to report to the hub.</param>
/// <param name="SidecarPath">Validated <c>.json</c> sidecar that travels with the file, if any.</param>
/// <param name="ExpectedSha256">SHA-256 the sidecar declared; a mismatch refuses the file.</param>
/// <param name="SidecarHints">The sidecar's provenance hints as parsed at the drop; stored with the item for the sender.</param>
internal sealed record OutboxArtifact(
    string SourcePath,
    string ContentType,
    string Entrypoint,
    string? CenterKey,
    string SourceSystem,
    string? SidecarPath = null,
    string? ExpectedSha256 = null,
    IReadOnlyDictionary<string, string>? SidecarHints = null)
{
    /// <summary>
    /// Entry point of <c>lxa-node push</c>, whose files are linked or copied in and stay with the operator
    /// (the crash repair of an interrupted take relies on it).
    /// </summary>
    public const string PushEntrypoint = "cli.push";
}
