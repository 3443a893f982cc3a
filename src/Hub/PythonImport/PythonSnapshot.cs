namespace LxAnnotate.Hub.PythonImport;

/// <summary>Everything the import reads from the original's database, read once in one repeatable-read transaction.</summary>
internal sealed record PythonSnapshot(
    PythonSchemaLine Line,
    IReadOnlyList<SourceCenter> Centers,
    IReadOnlyDictionary<long, SourceSensitiveMeta> SensitiveMetas,
    IReadOnlyList<SourceUploadJob> Jobs,
    IReadOnlyList<SourceMediaFile> MediaFiles);
