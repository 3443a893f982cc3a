namespace LxAnnotate.Hub.PythonImport;

/// <summary>
/// A row of the original's <c>endoreg_db_center</c>; its name feeds the original's patient hashes. The 1.0 line has a
/// <c>center_key</c> (Django's slug of the display name, else the name), which its status API answers as
/// <c>source_center_key</c>; the 0.7 line has none.
/// </summary>
internal sealed record SourceCenter(long Id, string Name, string? DisplayName, string? CenterKey = null);
