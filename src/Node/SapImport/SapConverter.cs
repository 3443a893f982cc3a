using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using LxAnnotate.Node.Sidecars;

namespace LxAnnotate.Node.SapImport;

/// <summary>
/// Converts extracted SAP IS-H tables into preanonymized carrier/sidecar pairs in a staging folder.
/// Tables are streamed: each row's cells go to a spill file and only a <see cref="RowRef"/> stays in
/// memory for grouping; a pair reads back just the rows of its case.
/// </summary>
internal sealed class SapConverter(ConversionOptions options)
{
    private const string MeonaType = "meona_medikamente";
    private const int SummaryDetailRows = 5;

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private readonly List<TableInfo> tables = [];
    private readonly List<RowRef> rows = [];
    private readonly List<string> patients = [];
    private readonly Dictionary<string, int> patientIds = new(StringComparer.Ordinal);
    private readonly List<string> cases = [];
    private readonly Dictionary<string, int> caseIds = new(StringComparer.Ordinal);

    public ConversionResult Convert(IReadOnlyList<ExtractedTable> extracted, string spillPath, string outputDir, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(extracted);
        using var spill = new RowSpill(spillPath);
        var matched = new List<string>();
        var skipped = new List<SkippedTable>();
        var dropped = 0;
        foreach (var table in extracted)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (problem, droppedHere) = ReadTable(table, spill, cancellationToken);
            if (problem is null)
            {
                matched.Add(table.EntryName);
                dropped += droppedHere;
            }
            else
            {
                skipped.Add(new SkippedTable(table.EntryName, problem));
            }
        }

        if (matched.Count == 0)
        {
            throw new SapImportException("no supported SAP IS-H table was found in the archive");
        }

        var pairs = Generate(spill, outputDir, cancellationToken);
        return new ConversionResult(pairs, matched, skipped, rows.Count + dropped, dropped);
    }

    /// <summary>Reads one table into the spill file; returns why it was skipped, or null and the rows dropped.</summary>
    private (string? Problem, int Dropped) ReadTable(ExtractedTable table, RowSpill spill, CancellationToken cancellationToken)
    {
        var (encoding, preamble, _) = TableEncoding.Detect(table.Path);
        using var stream = new FileStream(table.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan);
        stream.Position = preamble;
        using var text = new StreamReader(stream, encoding, detectEncodingFromByteOrderMarks: false, bufferSize: 64 * 1024);
        var tsv = new TsvReader(text, options.MaxFieldChars);
        try
        {
            var header = tsv.ReadRecord();
            if (header is null)
            {
                return ("the file is empty (no header line)", 0);
            }

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
                    return ($"column '{Shorten(name)}' appears more than once in the header", 0);
                }

                kept.Add(i);
                names.Add(name);
            }

            var match = TableTemplates.Detect(names);
            if (match.Template is null)
            {
                return (match.Problem, 0);
            }

            var info = new TableInfo(table.EntryName, match.Template, names, names.Select(match.Template.Find).ToList());
            var tableIndex = tables.Count;
            tables.Add(info);
            var isMeona = info.Template.DocumentType == MeonaType;
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

                var blank = true;
                for (var k = 0; k < kept.Count; k++)
                {
                    var i = kept[k];
                    values[k] = i < record.Count ? record[i] : null;
                    blank &= string.IsNullOrWhiteSpace(values[k]);
                }

                if (blank)
                {
                    continue;
                }

                dataRows++;
                var row = new LoadedRow(info, tsv.RecordsRead, values, RowRef.NoTimestamp);
                var patient = PatientKey(row, isMeona);
                if (patient is null)
                {
                    dropped++;
                    continue;
                }

                var fall = row.Text("FallNr");
                var timestamp = FirstTimestamp(row);
                var hasText = isTextType && row.DocumentText is not null;
                var offset = spill.Append(values);
                rows.Add(new RowRef(
                    tableIndex,
                    tsv.RecordsRead,
                    Intern(patients, patientIds, patient),
                    fall is null ? RowRef.NoCase : Intern(cases, caseIds, fall),
                    timestamp?.Ticks ?? RowRef.NoTimestamp,
                    hasText,
                    offset));
            }

            if (dataRows == 0)
            {
                tables.RemoveAt(tableIndex);
                return ("the table has no data rows", 0);
            }

            return (null, dropped);
        }
        catch (InvalidDataException ex)
        {
            throw new SapImportException($"table '{table.EntryName}' cannot be read: {ex.Message}", ex);
        }
    }

    private List<GeneratedPair> Generate(RowSpill spill, string outputDir, CancellationToken cancellationToken)
    {
        // Row indices per case and per patient: 4 bytes a row, the rest stays in the spill file.
        var byCase = new Dictionary<(int Patient, int Case), List<int>>();
        var byPatient = new Dictionary<int, List<int>>();
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            if (row.Case == RowRef.NoCase)
            {
                Add(byPatient, row.Patient, i);
            }
            else
            {
                Add(byCase, (row.Patient, row.Case), i);
            }
        }

        var pairs = new List<GeneratedPair>();
        var patientsWithCases = new HashSet<int>();
        foreach (var key in byCase.Keys
            .OrderBy(k => patients[k.Patient], StringComparer.Ordinal)
            .ThenBy(k => cases[k.Case], StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            patientsWithCases.Add(key.Patient);
            var related = byCase[key].ToList();
            if (byPatient.TryGetValue(key.Patient, out var patientLevel))
            {
                related.AddRange(patientLevel);
            }

            var loaded = related.Select(i => Load(spill, i)).ToList();
            var primaries = loaded.Where((_, position) => rows[related[position]].HasText).ToList();
            if (primaries.Count == 0)
            {
                primaries.Add(Anchor(loaded));
            }

            foreach (var primary in primaries)
            {
                pairs.Add(WritePair(pairs.Count + 1, primary, loaded, outputDir));
            }
        }

        foreach (var patient in byPatient.Keys.Where(p => !patientsWithCases.Contains(p)).OrderBy(p => patients[p], StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var loaded = byPatient[patient].Select(i => Load(spill, i)).ToList();
            pairs.Add(WritePair(pairs.Count + 1, Anchor(loaded), loaded, outputDir));
        }

        return pairs;
    }

    private GeneratedPair WritePair(int counter, LoadedRow primary, IReadOnlyList<LoadedRow> related, string outputDir)
    {
        var text = primary.DocumentText ?? CaseSummary(related);
        var carrier = Utf8.GetBytes(text.Trim() + "\n");
        var externalId = PatientKey(primary, primary.DocumentType == MeonaType);
        var caseNumber = primary.Text("FallNr");
        var timestamp = primary.Timestamp ?? related.Select(r => r.Timestamp).Where(t => t is not null).Min();
        var gender = CellValues.Gender(primary.Raw("Geschlecht")) ??
            related.Select(r => CellValues.Gender(r.Raw("Geschlecht"))).FirstOrDefault(g => g is not null);

        var sidecar = new SortedDictionary<string, object?>(StringComparer.Ordinal)
        {
            ["anonymized_text"] = text.Trim(),
            ["casenumber"] = caseNumber,
            ["center_key"] = options.CenterKey,
            ["center_name"] = options.CenterName,
            ["examination_date"] = timestamp?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["examination_time"] = timestamp?.ToString("HH:mm:ss", CultureInfo.InvariantCulture),
            ["external_id"] = externalId,
            ["external_id_origin"] = externalId is null ? null : options.CenterKey is null ? options.SourceSystem : $"{options.SourceSystem}:{options.CenterKey}",
            ["file_sha256"] = System.Convert.ToHexStringLower(SHA256.HashData(carrier)),
            ["original_document_id"] = primary.Text("Dokumentnummer") ?? primary.Text("main_order_id") ?? primary.Text("id"),
            ["original_document_version"] = primary.Text("Dokumentversion"),
            ["patient_gender"] = gender,
            ["raw_columns"] = RawColumns(primary, related),
            ["source_document_type"] = primary.DocumentType,
            ["source_system"] = options.SourceSystem,
            ["text"] = text.Trim(),
        };

        var json = SidecarJson.Serialize(sidecar);
        if (json.Length > options.MaxSidecarBytes)
        {
            throw new SapImportException(string.Create(CultureInfo.InvariantCulture,
                $"the pair for row {primary.RowNumber} of '{primary.Table.EntryName}' would need a sidecar of {json.Length} bytes, more than the watcher accepts ({options.MaxSidecarBytes})"));
        }

        var counterText = counter.ToString("D4", CultureInfo.InvariantCulture);
        var stem = $"sap_ish_{counterText}_{Slug(primary.DocumentType, "document")}_{Slug(externalId, "patient")}_{Slug(caseNumber, "case_" + counterText)}";
        WriteNew(Path.Combine(outputDir, stem + ".txt"), carrier);
        WriteNew(Path.Combine(outputDir, stem + ".json"), json);
        return new GeneratedPair(stem, primary.DocumentType);
    }

    /// <summary>Creates a file readable by the service group only (rw-r-----): it holds patient data.</summary>
    internal static void WriteNew(string path, byte[] bytes)
    {
        using var file = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead,
        });
        file.Write(bytes);
    }

    private static SortedDictionary<string, object?> RawColumns(LoadedRow primary, IReadOnlyList<LoadedRow> related)
    {
        var byType = new SortedDictionary<string, object?>(StringComparer.Ordinal);
        var files = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var row in related)
        {
            if (!byType.TryGetValue(row.DocumentType, out var list))
            {
                byType[row.DocumentType] = list = new List<object?>();
            }

            ((List<object?>)list!).Add(new SortedDictionary<string, object?>(StringComparer.Ordinal)
            {
                ["source_file"] = row.Table.EntryName,
                ["row_number"] = row.RowNumber,
                ["raw_columns"] = row.RawColumns(),
                ["unknown_columns"] = row.UnknownColumns(),
            });
            files.Add(row.Table.EntryName);
        }

        return new SortedDictionary<string, object?>(StringComparer.Ordinal)
        {
            ["primary_row"] = new SortedDictionary<string, object?>(StringComparer.Ordinal)
            {
                ["document_type"] = primary.DocumentType,
                ["source_file"] = primary.Table.EntryName,
                ["row_number"] = primary.RowNumber,
                ["raw_columns"] = primary.RawColumns(),
            },
            ["related_rows_by_type"] = byType,
            ["source_files"] = files.ToList(),
        };
    }

    /// <summary>The generated text when no row of the case carries document text.</summary>
    internal static string CaseSummary(IReadOnlyList<LoadedRow> related)
    {
        var anchor = Anchor(related);
        var lines = new List<string>();
        var patientNr = anchor.Text("PatientNr");
        var fallNr = anchor.Text("FallNr");
        if (patientNr is not null || fallNr is not null)
        {
            lines.Add("Case summary generated from SAP IS-H tabular export");
            if (patientNr is not null)
            {
                lines.Add($"PatientNr: {patientNr}");
            }

            if (fallNr is not null)
            {
                lines.Add($"FallNr: {fallNr}");
            }
        }

        foreach (var type in TableTemplates.AnchorOrder)
        {
            var ofType = related.Where(r => r.DocumentType == type).ToList();
            if (ofType.Count == 0)
            {
                continue;
            }

            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{type}: {ofType.Count} row(s)"));
            foreach (var row in ofType.Take(SummaryDetailRows))
            {
                var details = Details(row);
                if (details.Count > 0)
                {
                    lines.Add("- " + string.Join(" | ", details));
                }
            }
        }

        return string.Join('\n', lines).Trim();
    }

    private static List<string> Details(LoadedRow row)
    {
        var details = new List<string>();
        if (row.Timestamp is { } at)
        {
            details.Add(at.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
        }

        void Add(string? value, string prefix = "")
        {
            if (value is not null)
            {
                details.Add(prefix + value);
            }
        }

        switch (row.DocumentType)
        {
            case "diagnosen":
                Add(row.Text("Diagnoseschluessel1"), "code=");
                break;
            case "labor":
                Add(row.Text("Leistungstext") ?? row.Text("Leistung"));
                Add(row.Text("Messwert"), "value=");
                break;
            case "prozeduren":
                Add(row.Text("OPCode"), "op_code=");
                break;
            case "bewegungen":
                Add(row.Text("Behandlungsort"));
                Add(row.Text("Fachabteilung"));
                Add(row.Text("Zimmer"), "room=");
                break;
            case "pathodocs":
                Add(row.Text("Dokumentnummer"), "document_id=");
                Add(row.Text("DokumenttypID"), "type=");
                break;
            case MeonaType:
                Add(row.Text("tradename"));
                Add(row.Text("actual_dose"), "dose=");
                Add(row.Text("unit_dose_name"));
                break;
        }

        return details;
    }

    /// <summary>Type order, then earliest timestamp, then table, then row.</summary>
    internal static LoadedRow Anchor(IReadOnlyList<LoadedRow> related) => related
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

    /// <summary>The patient a row belongs to; medication rows (meona) name it in <c>patient_id</c>.</summary>
    private static string? PatientKey(LoadedRow row, bool isMeona) =>
        isMeona ? row.Text("patient_id") ?? row.Text("PatientNr") : row.Text("PatientNr");

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

    private LoadedRow Load(RowSpill spill, int index)
    {
        var row = rows[index];
        return new LoadedRow(tables[row.Table], row.RowNumber, spill.Read(row.Offset), row.Ticks);
    }

    /// <summary>Lower case; anything but letters, digits, '-' and '_' becomes '_'; '_' trimmed at both ends.</summary>
    internal static string Slug(string? value, string fallback)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return fallback;
        }

        var slug = string.Concat(value.Trim().Select(c => char.IsLetterOrDigit(c) ? char.ToLowerInvariant(c) : c is '-' or '_' ? c : '_')).Trim('_');
        return slug.Length == 0 ? fallback : slug;
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

    private static void Add<TKey>(Dictionary<TKey, List<int>> map, TKey key, int index)
        where TKey : notnull
    {
        if (!map.TryGetValue(key, out var list))
        {
            map[key] = list = [];
        }

        list.Add(index);
    }

    private static string Shorten(string name) =>
        string.Concat((name.Length <= 64 ? name : name[..64] + "…").Select(c => char.IsControl(c) ? '?' : c));
}
