namespace LxAnnotate.Hub.DataDir;

/// <summary><c>lxa-hub check --json</c>: <c>ok</c> is false when any finding is critical.</summary>
internal sealed record CheckReport(bool Ok, int Critical, int Warnings, IReadOnlyList<FindingView> Findings)
{
    public static CheckReport From(IReadOnlyList<DataTreeFinding> findings)
    {
        ArgumentNullException.ThrowIfNull(findings);
        var critical = findings.Count(f => f.Severity == FindingSeverity.Critical);
        var warnings = findings.Count(f => f.Severity == FindingSeverity.Warning);
        return new CheckReport(
            critical == 0,
            critical,
            warnings,
            findings.Select(f => new FindingView(f.SeverityText, f.Check, f.Name, f.Path, f.Message)).ToList());
    }
}
