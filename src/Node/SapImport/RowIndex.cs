namespace LxAnnotate.Node.SapImport;

/// <summary>
/// The in-memory side of a conversion: the matched tables, one <see cref="RowRef"/> per kept row, and
/// patient and case keys interned to small integers so that grouping costs a few bytes a row.
/// </summary>
internal sealed class RowIndex
{
    private readonly List<TableInfo> tables = [];
    private readonly List<RowRef> rows = [];
    private readonly List<string> patients = [];
    private readonly Dictionary<string, int> patientIds = new(StringComparer.Ordinal);
    private readonly List<string> cases = [];
    private readonly Dictionary<string, int> caseIds = new(StringComparer.Ordinal);

    public IReadOnlyList<RowRef> Rows => rows;

    public int AddTable(TableInfo table)
    {
        tables.Add(table);
        return tables.Count - 1;
    }

    /// <summary>Forgets the last table added; it had no data rows, so no row refers to it.</summary>
    public void RemoveTable(int tableIndex) => tables.RemoveAt(tableIndex);

    public void AddRow(int tableIndex, int rowNumber, string patient, string? caseNumber, DateTime? timestamp, bool hasText, long offset) =>
        rows.Add(new RowRef(
            tableIndex,
            rowNumber,
            Intern(patients, patientIds, patient),
            caseNumber is null ? RowRef.NoCase : Intern(cases, caseIds, caseNumber),
            timestamp?.Ticks ?? RowRef.NoTimestamp,
            hasText,
            offset));

    public string PatientKey(int patient) => patients[patient];

    public string CaseNumber(int caseId) => cases[caseId];

    /// <summary>Reads a row's cells back from the spill file.</summary>
    public LoadedRow Load(RowSpill spill, int index)
    {
        var row = rows[index];
        return new LoadedRow(tables[row.Table], row.RowNumber, spill.Read(row.Offset), row.Ticks);
    }

    private static int Intern(List<string> list, Dictionary<string, int> ids, string value)
    {
        if (!ids.TryGetValue(value, out var id))
        {
            id = list.Count;
            list.Add(value);
            ids[value] = id;
        }

        return id;
    }
}
