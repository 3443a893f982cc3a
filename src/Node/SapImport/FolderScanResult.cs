namespace LxAnnotate.Node.SapImport;

/// <summary>One pass over <c>import/sap_import/</c>.</summary>
/// <param name="NextLook">When a waiting archive becomes stable, or null when nothing waits.</param>
internal sealed record FolderScanResult(int Processed, int Failed, int Waiting, DateTimeOffset? NextLook);
