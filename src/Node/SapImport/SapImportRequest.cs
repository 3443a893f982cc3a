namespace LxAnnotate.Node.SapImport;

/// <summary>One archive to convert.</summary>
/// <param name="OutputDir">Where the pairs go; null for <c>import/preanonymized_import</c>. Must be inside the data root.</param>
/// <param name="ManifestPath">Manifest file; null for one under <c>migration_staging/manifests/import_sap_ish_zip/</c>.</param>
/// <param name="DryRun">Convert and report, but move nothing and write no manifest.</param>
/// <param name="Process">
/// The original's <c>--process</c>, recorded in the manifest: the node's watcher takes the pairs from the
/// preanonymized drop folder anyway, so the flag changes nothing else.
/// </param>
internal sealed record SapImportRequest(
    string ZipPath,
    string? OutputDir,
    string SourceSystem,
    string? CenterKey,
    string? CenterName,
    string? ManifestPath,
    bool DryRun,
    bool Process = false);
