namespace LxAnnotate.Hub.PythonImport;

/// <summary>A source upload job with what the import resolved for it: its center (or why there is none), type and links.</summary>
/// <param name="Unassignable">Why no center could be derived; null when <paramref name="CenterId"/> is set.</param>
internal sealed record PlannedJob(
    SourceUploadJob Job,
    long? CenterId,
    string? Unassignable,
    string ContentType,
    SourceSensitiveMeta? Meta,
    SourceMediaFile? Media);
