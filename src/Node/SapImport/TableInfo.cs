namespace LxAnnotate.Node.SapImport;

/// <summary>A matched table: its template and the kept header columns (trimmed, non-empty) with their specs.</summary>
internal sealed record TableInfo(string EntryName, TableTemplate Template, IReadOnlyList<string> Header, IReadOnlyList<ColumnSpec?> Specs)
{
    private readonly Dictionary<string, int> byName = Index(Header);

    /// <summary>Position of a template column in the kept header, or -1.</summary>
    public int IndexOf(string column) => byName.GetValueOrDefault(column, -1);

    private static Dictionary<string, int> Index(IReadOnlyList<string> header)
    {
        var index = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < header.Count; i++)
        {
            index.TryAdd(header[i], i);
        }

        return index;
    }
}
