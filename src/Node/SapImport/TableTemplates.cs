namespace LxAnnotate.Node.SapImport;

/// <summary>The SAP IS-H tables the importer knows, and detection of a table's type from its header.</summary>
internal static class TableTemplates
{
    /// <summary>Medication rows: they name their patient in <c>patient_id</c>.</summary>
    public const string MeonaType = "meona_medikamente";

    /// <summary>Types whose rows carry document text; each such row with text yields its own pair.</summary>
    public static readonly IReadOnlyList<string> TextTypes = ["cwd", "briefe", "radiologie"];

    /// <summary>Preference when a case has no text row: the first type here with a row is the anchor.</summary>
    public static readonly IReadOnlyList<string> AnchorOrder =
        ["cwd", "briefe", "radiologie", "pathodocs", "prozeduren", "diagnosen", "labor", "bewegungen", "meona_medikamente", "stammdaten", "patienten"];

    /// <summary>Columns whose value is the row's timestamp, first present wins.</summary>
    public static readonly IReadOnlyList<string> TimestampColumns =
        ["Dokumentzeit", "dateErstellzeit", "Zugangszeit", "Diagnosezeit", "Beginnzeit", "apply_date", "prepare_date", "creation_date"];

    /// <summary>Columns that hold document text, first non-blank wins.</summary>
    public static readonly IReadOnlyList<string> TextColumns = ["pmdAnam", "strText", "befund", "kurbefund", "beurteilung"];

    public static readonly IReadOnlyList<TableTemplate> All =
    [
        Template("cwd", R("PatientNr"), R("FallNr"), R("Dokumentzeit", ColumnType.Timestamp), R("Dokumentnummer"), R("Dokumentversion"), R("pmdAnam")),
        Template("bewegungen", R("PatientNr"), R("FallNr"), R("Zugangszeit", ColumnType.Timestamp), R("Behandlungsort"), R("Fachabteilung"), R("Zimmer")),
        Template("briefe", R("PatientNr"), R("FallNr"), R("dateErstellzeit", ColumnType.Timestamp), R("strText")),
        Template("diagnosen", R("PatientNr"), R("FallNr"), R("Diagnoseschluessel1"), R("Diagnosezeit", ColumnType.Timestamp),
            O("KzAufnahmediagnose", ColumnType.Boolean), O("KzBehandlungsdiagnose", ColumnType.Boolean), O("KzEntlassdiagnose", ColumnType.Boolean),
            O("KzFachabteilungshauptdiagnose", ColumnType.Boolean), O("KzKrankenhaushauptdiagnose", ColumnType.Boolean),
            O("KzNebendiagnose", ColumnType.Boolean), O("KzOperationsdiagnose", ColumnType.Boolean)),
        Template("labor", R("PatientNr"), R("FallNr"), R("Dokumentzeit", ColumnType.Timestamp), R("Leistung"), R("Leistungstext"), R("Messwert")),
        Template("meona_medikamente", R("PatientNr"), R("id"), R("tradename"), R("patient_id"), R("apply_date", ColumnType.Timestamp),
            O("prepare_date", ColumnType.Timestamp), O("creation_date", ColumnType.Timestamp), O("actual_dose"), O("unit_dose_name"),
            O("main_application_id"), O("main_order_id"), O("status")),
        Template("pathodocs", R("PatientNr"), R("FallNr"), R("Dokumentnummer"), R("Dokumentzeit", ColumnType.Timestamp), R("DokumenttypID")),
        Template("patienten", R("PatientNr"), R("PatientAlter", ColumnType.Integer), R("Geschlecht")),
        Template("prozeduren", R("PatientNr"), R("FallNr"), R("OPCode"), R("Beginnzeit", ColumnType.Timestamp)),
        Template("radiologie", R("PatientNr"), R("FallNr"), R("Dokumentzeit", ColumnType.Timestamp), R("Dokumentnummer"), R("Dokumentversion"),
            O("kurbefund"), O("befund"), O("beurteilung")),
        Template("stammdaten", R("PatientNr"), R("FallNr"), R("PatientAlter", ColumnType.Integer), R("Geschlecht")),
    ];

    /// <summary>
    /// Picks the template for a (trimmed, non-empty) header: candidates have every required column; the
    /// winner has the most matched columns, then the fewest unknown ones; a tie is ambiguous.
    /// </summary>
    public static TemplateMatch Detect(IReadOnlyList<string> header)
    {
        ArgumentNullException.ThrowIfNull(header);
        var present = new HashSet<string>(header, StringComparer.OrdinalIgnoreCase);
        var candidates = new List<(TableTemplate Template, int Matched, int Unknown)>();
        foreach (var template in All)
        {
            if (!template.Required.All(c => present.Contains(c.Name)))
            {
                continue;
            }

            var matched = present.Count(h => template.Find(h) is not null);
            candidates.Add((template, matched, present.Count - matched));
        }

        if (candidates.Count == 0)
        {
            return new TemplateMatch(null, "no known table template matches the header");
        }

        var best = candidates.OrderByDescending(c => c.Matched).ThenBy(c => c.Unknown).First();
        var tied = candidates.Where(c => c.Matched == best.Matched && c.Unknown == best.Unknown).ToList();
        return tied.Count > 1
            ? new TemplateMatch(null, $"ambiguous header: matches {string.Join(", ", tied.Select(t => t.Template.DocumentType))} equally")
            : new TemplateMatch(best.Template, null);
    }

    private static TableTemplate Template(string type, params ColumnSpec[] columns) => new(type, columns);

    private static ColumnSpec R(string name, ColumnType type = ColumnType.Text) => new(name, type, Required: true);

    private static ColumnSpec O(string name, ColumnType type = ColumnType.Text) => new(name, type, Required: false);
}
