namespace LxAnnotate.Node.SapImport;

/// <summary>A known SAP IS-H table: document type and its columns.</summary>
internal sealed record TableTemplate(string DocumentType, IReadOnlyList<ColumnSpec> Columns)
{
    public IEnumerable<ColumnSpec> Required => Columns.Where(c => c.Required);

    public ColumnSpec? Find(string header) =>
        Columns.FirstOrDefault(c => c.Name.Equals(header, StringComparison.OrdinalIgnoreCase));
}
