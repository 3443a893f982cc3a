namespace LxAnnotate.Node.SapImport;

/// <summary>Picks the row that stands for a group of rows when none of them carries document text.</summary>
internal static class RowAnchor
{
    /// <summary>Type order, then earliest timestamp, then table, then row.</summary>
    public static LoadedRow Pick(IReadOnlyList<LoadedRow> related) => related
        .OrderBy(r => TypeRank(r.DocumentType))
        .ThenBy(r => r.Ticks)
        .ThenBy(r => r.Table.EntryName, StringComparer.Ordinal)
        .ThenBy(r => r.RowNumber)
        .First();

    private static int TypeRank(string type)
    {
        for (var i = 0; i < TableTemplates.AnchorOrder.Count; i++)
        {
            if (TableTemplates.AnchorOrder[i] == type)
            {
                return i;
            }
        }

        return TableTemplates.AnchorOrder.Count;
    }
}
