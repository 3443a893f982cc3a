using System.Globalization;

namespace LxAnnotate.Node.SapImport;

/// <summary>The generated text of a pair when no row of its case carries document text.</summary>
internal static class CaseSummary
{
    private const int DetailRows = 5;

    public static string Build(IReadOnlyList<LoadedRow> related)
    {
        var anchor = RowAnchor.Pick(related);
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
            foreach (var row in ofType.Take(DetailRows))
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
            case TableTemplates.MeonaType:
                Add(row.Text("tradename"));
                Add(row.Text("actual_dose"), "dose=");
                Add(row.Text("unit_dose_name"));
                break;
        }

        return details;
    }
}
