namespace LxAnnotate.Node.SapImport;

/// <summary>
/// Converts extracted SAP IS-H tables into preanonymized carrier/sidecar pairs in a staging folder.
/// Tables are streamed: each row's cells go to a spill file and only a <see cref="RowRef"/> stays in
/// memory for grouping; a pair reads back just the rows of its case.
/// </summary>
internal sealed class SapConverter(ConversionOptions options)
{
    private readonly RowIndex index = new();

    public ConversionResult Convert(IReadOnlyList<ExtractedTable> extracted, string spillPath, string outputDir, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(extracted);
        using var spill = new RowSpill(spillPath);
        var reader = new SapTableReader(index, spill, options.MaxFieldChars);
        var matched = new List<string>();
        var skipped = new List<SkippedTable>();
        var dropped = 0;
        foreach (var table in extracted)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (problem, droppedHere) = reader.Read(table, cancellationToken);
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

        var pairs = Generate(spill, new PairWriter(options, outputDir), cancellationToken);
        return new ConversionResult(pairs, matched, skipped, index.Rows.Count + dropped, dropped);
    }

    /// <summary>
    /// One pair per text row of a case (or one for the case's anchor row when none has text), each with
    /// the case's rows and the patient-level rows; then one pair per patient that has no case.
    /// </summary>
    private List<GeneratedPair> Generate(RowSpill spill, PairWriter writer, CancellationToken cancellationToken)
    {
        var (byCase, byPatient) = Group();
        var pairs = new List<GeneratedPair>();
        var patientsWithCases = new HashSet<int>();
        foreach (var key in byCase.Keys
            .OrderBy(k => index.PatientKey(k.Patient), StringComparer.Ordinal)
            .ThenBy(k => index.CaseNumber(k.Case), StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            patientsWithCases.Add(key.Patient);
            var related = byCase[key].ToList();
            if (byPatient.TryGetValue(key.Patient, out var patientLevel))
            {
                related.AddRange(patientLevel);
            }

            var loaded = related.Select(i => index.Load(spill, i)).ToList();
            var primaries = loaded.Where((_, position) => index.Rows[related[position]].HasText).ToList();
            if (primaries.Count == 0)
            {
                primaries.Add(RowAnchor.Pick(loaded));
            }

            foreach (var primary in primaries)
            {
                pairs.Add(writer.Write(pairs.Count + 1, primary, loaded));
            }
        }

        foreach (var patient in byPatient.Keys.Where(p => !patientsWithCases.Contains(p)).OrderBy(index.PatientKey, StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var loaded = byPatient[patient].Select(i => index.Load(spill, i)).ToList();
            pairs.Add(writer.Write(pairs.Count + 1, RowAnchor.Pick(loaded), loaded));
        }

        return pairs;
    }

    /// <summary>Row indices per case and per patient (rows without a case): 4 bytes a row, the rest stays in the spill file.</summary>
    private (Dictionary<(int Patient, int Case), List<int>> ByCase, Dictionary<int, List<int>> ByPatient) Group()
    {
        var byCase = new Dictionary<(int Patient, int Case), List<int>>();
        var byPatient = new Dictionary<int, List<int>>();
        for (var i = 0; i < index.Rows.Count; i++)
        {
            var row = index.Rows[i];
            if (row.Case == RowRef.NoCase)
            {
                Add(byPatient, row.Patient, i);
            }
            else
            {
                Add(byCase, (row.Patient, row.Case), i);
            }
        }

        return (byCase, byPatient);
    }

    private static void Add<TKey>(Dictionary<TKey, List<int>> map, TKey key, int row)
        where TKey : notnull
    {
        if (!map.TryGetValue(key, out var list))
        {
            map[key] = list = [];
        }

        list.Add(row);
    }
}
