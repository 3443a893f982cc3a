namespace LxAnnotate.Hub.PythonImport;

/// <summary>A row of the original's <c>endoreg_db_center</c>; its name feeds the original's patient hashes.</summary>
internal sealed record SourceCenter(long Id, string Name, string? DisplayName);
