namespace LxAnnotate.Node.SapImport;

/// <summary>A <c>.txt</c> entry extracted to staging.</summary>
/// <param name="EntryName">Name inside the archive (forward slashes), for reports.</param>
/// <param name="Path">The staged copy, named by position so no entry name ever becomes a path.</param>
internal sealed record ExtractedTable(string EntryName, string Path);
