namespace LxAnnotate.Node.SapImport;

/// <summary>
/// What grouping needs of one row, and where its cells are in the spill file. Kept in memory for every
/// row (a few dozen bytes); the cells themselves stay on disk until a pair needs them.
/// </summary>
internal readonly record struct RowRef(int Table, int RowNumber, int Patient, int Case, long Ticks, bool HasText, long Offset)
{
    public const int NoCase = -1;

    public const long NoTimestamp = long.MaxValue;
}
