namespace LxAnnotate.Node.SapImport;

/// <summary>Outcome of a successful import.</summary>
internal sealed record SapImportReport(
    ConversionResult Conversion,
    IReadOnlyList<GeneratedFile> Files,
    string OutputDir,
    string? ManifestPath,
    bool DryRun);
