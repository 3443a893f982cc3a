namespace LxAnnotate.Node.SapImport;

/// <summary>How a table column's cell is converted.</summary>
internal enum ColumnType
{
    Text,
    Timestamp,
    Boolean,
    Integer,
}
