namespace LxAnnotate.Hub.PythonImport;

/// <summary>A file the import stores for a job: the upload itself or a processed output (kind as in <c>processed_artifacts</c>).</summary>
internal sealed record PlannedOutput(string Kind, ImportSource Source, string RelativePath, string StorageClass);
