namespace LxAnnotate.Node.SapImport;

/// <summary>One row read back from the spill file, with its table, for building a pair.</summary>
internal sealed record LoadedRow(TableInfo Table, int RowNumber, IReadOnlyList<string?> Values, long Ticks)
{
    public string DocumentType => Table.Template.DocumentType;

    public string? Raw(string column) => Table.IndexOf(column) is var i and >= 0 ? Values[i] : null;

    public string? Text(string column) => CellValues.Text(Raw(column));

    /// <summary>The patient the row belongs to; medication rows (meona) name it in <c>patient_id</c>.</summary>
    public string? PatientKey => DocumentType == TableTemplates.MeonaType ? Text("patient_id") ?? Text("PatientNr") : Text("PatientNr");

    public DateTime? Timestamp => Ticks == RowRef.NoTimestamp ? null : new DateTime(Ticks, DateTimeKind.Unspecified);

    /// <summary>The first non-blank text column (trimmed), or null.</summary>
    public string? DocumentText => TableTemplates.TextColumns.Select(Text).FirstOrDefault(t => t is not null);

    /// <summary>Template columns as exported (header name → cell), blank cells left out.</summary>
    public SortedDictionary<string, object?> RawColumns() => Columns(known: true);

    /// <summary>Columns the template does not know, blank cells left out.</summary>
    public SortedDictionary<string, object?> UnknownColumns() => Columns(known: false);

    private SortedDictionary<string, object?> Columns(bool known)
    {
        var columns = new SortedDictionary<string, object?>(StringComparer.Ordinal);
        for (var i = 0; i < Table.Header.Count; i++)
        {
            if ((Table.Specs[i] is not null) == known && !string.IsNullOrWhiteSpace(Values[i]))
            {
                columns[Table.Header[i]] = Values[i];
            }
        }

        return columns;
    }
}
