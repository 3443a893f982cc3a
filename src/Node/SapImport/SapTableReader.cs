namespace LxAnnotate.Node.SapImport;

/// <summary>
/// Reads extracted tables into the spill file: the header picks the template, each non-blank row's kept
/// cells go to the spill and its <see cref="RowRef"/> to the index. A row without a patient is dropped.
/// </summary>
internal sealed class SapTableReader(RowIndex index, RowSpill spill, int maxFieldChars)
{
    private const int BufferSize = 64 * 1024;

    /// <summary>Reads one table; returns why it was skipped, or null and the rows dropped.</summary>
    /// <exception cref="SapImportException">The table cannot be parsed.</exception>
    public (string? Problem, int Dropped) Read(ExtractedTable table, CancellationToken cancellationToken)
    {
        var (encoding, preamble, _) = TableEncoding.Detect(table.Path);
        using var stream = new FileStream(table.Path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.SequentialScan);
        stream.Position = preamble;
        using var text = new StreamReader(stream, encoding, detectEncodingFromByteOrderMarks: false, bufferSize: BufferSize);
        var tsv = new TsvReader(text, maxFieldChars);
        try
        {
            var header = tsv.ReadRecord();
            if (header is null)
            {
                return ("the file is empty (no header line)", 0);
            }

            var (kept, names, problem) = KeptColumns(header);
            if (problem is not null)
            {
                return (problem, 0);
            }

            var match = TableTemplates.Detect(names);
            if (match.Template is null)
            {
                return (match.Problem, 0);
            }

            var info = new TableInfo(table.EntryName, match.Template, names, names.Select(match.Template.Find).ToList());
            var tableIndex = index.AddTable(info);
            var (dataRows, dropped) = ReadRows(tsv, info, tableIndex, kept, cancellationToken);
            if (dataRows == 0)
            {
                index.RemoveTable(tableIndex);
                return ("the table has no data rows", 0);
            }

            return (null, dropped);
        }
        catch (InvalidDataException ex)
        {
            throw new SapImportException($"table '{table.EntryName}' cannot be read: {ex.Message}", ex);
        }
    }

    /// <summary>The non-empty header columns (trimmed) and their positions, or why the header is refused.</summary>
    private static (List<int> Kept, List<string> Names, string? Problem) KeptColumns(List<string> header)
    {
        var kept = new List<int>();
        var names = new List<string>();
        var unique = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < header.Count; i++)
        {
            var name = header[i].Trim();
            if (name.Length == 0)
            {
                continue;
            }

            if (!unique.Add(name))
            {
                return (kept, names, $"column '{Shorten(name)}' appears more than once in the header");
            }

            kept.Add(i);
            names.Add(name);
        }

        return (kept, names, null);
    }

    /// <summary>Reads the data rows; returns the non-blank rows seen and how many of them had no patient.</summary>
    private (int DataRows, int Dropped) ReadRows(TsvReader tsv, TableInfo info, int tableIndex, List<int> kept, CancellationToken cancellationToken)
    {
        var isTextType = TableTemplates.TextTypes.Contains(info.Template.DocumentType);
        var values = new string?[kept.Count];
        var dataRows = 0;
        var dropped = 0;
        List<string>? record;
        while ((record = tsv.ReadRecord()) is not null)
        {
            if ((tsv.RecordsRead & 0x3FF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            if (!FillKept(record, kept, values))
            {
                continue;
            }

            dataRows++;
            var row = new LoadedRow(info, tsv.RecordsRead, values, RowRef.NoTimestamp);
            var patient = row.PatientKey;
            if (patient is null)
            {
                dropped++;
                continue;
            }

            var hasText = isTextType && row.DocumentText is not null;
            var offset = spill.Append(values);
            index.AddRow(tableIndex, tsv.RecordsRead, patient, row.Text("FallNr"), FirstTimestamp(row), hasText, offset);
        }

        return (dataRows, dropped);
    }

    /// <summary>Copies the kept cells of a record (missing ones as null); false when all of them are blank.</summary>
    private static bool FillKept(List<string> record, List<int> kept, string?[] values)
    {
        var blank = true;
        for (var k = 0; k < kept.Count; k++)
        {
            var i = kept[k];
            values[k] = i < record.Count ? record[i] : null;
            blank &= string.IsNullOrWhiteSpace(values[k]);
        }

        return !blank;
    }

    private static DateTime? FirstTimestamp(LoadedRow row)
    {
        foreach (var column in TableTemplates.TimestampColumns)
        {
            if (row.Table.Template.Find(column) is { Type: ColumnType.Timestamp } && CellValues.Timestamp(row.Raw(column)) is { } at)
            {
                return at;
            }
        }

        return null;
    }

    private static string Shorten(string name) =>
        string.Concat((name.Length <= 64 ? name : name[..64] + "…").Select(c => char.IsControl(c) ? '?' : c));
}
