namespace LxAnnotate.Node.SapImport;

/// <summary>A table entry that was not converted, and why.</summary>
internal sealed record SkippedTable(string EntryName, string Reason);
