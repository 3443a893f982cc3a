namespace LxAnnotate.Node.SapImport;

/// <summary>One column of a table template: its header name as exported and how its cells convert.</summary>
internal sealed record ColumnSpec(string Name, ColumnType Type, bool Required);
