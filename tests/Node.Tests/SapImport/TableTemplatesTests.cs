using LxAnnotate.Node.SapImport;

namespace LxAnnotate.Node.Tests.SapImport;

public sealed class TableTemplatesTests
{
    [Theory]
    [InlineData("PatientNr|FallNr|Dokumentzeit|Dokumentnummer|Dokumentversion|pmdAnam", "cwd")]
    [InlineData("PatientNr|FallNr|Zugangszeit|Behandlungsort|Fachabteilung|Zimmer", "bewegungen")]
    [InlineData("patientnr|FALLNR|dateerstellzeit|STRTEXT", "briefe")]
    [InlineData("PatientNr|FallNr|Diagnoseschluessel1|Diagnosezeit|KzEntlassdiagnose", "diagnosen")]
    [InlineData("PatientNr|FallNr|Dokumentzeit|Leistung|Leistungstext|Messwert", "labor")]
    [InlineData("PatientNr|id|tradename|patient_id|apply_date|status", "meona_medikamente")]
    [InlineData("PatientNr|FallNr|Dokumentnummer|Dokumentzeit|DokumenttypID", "pathodocs")]
    [InlineData("PatientNr|PatientAlter|Geschlecht", "patienten")]
    [InlineData("PatientNr|FallNr|OPCode|Beginnzeit", "prozeduren")]
    [InlineData("PatientNr|FallNr|Dokumentzeit|Dokumentnummer|Dokumentversion|befund", "radiologie")]
    [InlineData("PatientNr|FallNr|PatientAlter|Geschlecht", "stammdaten")]
    [InlineData("PatientNr|FallNr|Dokumentzeit|Dokumentnummer|Dokumentversion|pmdAnam|extra", "cwd")]
    [InlineData("PatientNr|FallNr|Dokumentzeit|Dokumentnummer|DokumenttypID|Leistung|Leistungstext|Messwert", "labor")]
    public void Detect_KnownHeader_PicksTemplateWithMostMatchedThenFewestUnknown(string header, string expected)
    {
        var match = TableTemplates.Detect(header.Split('|'));

        Assert.Null(match.Problem);
        Assert.Equal(expected, match.Template!.DocumentType);
    }

    [Fact]
    public void Detect_TieOnMatchedAndUnknown_IsAmbiguousAndNamesBoth()
    {
        // briefe and prozeduren both match four columns with two unknown.
        var match = TableTemplates.Detect(["PatientNr", "FallNr", "dateErstellzeit", "strText", "OPCode", "Beginnzeit"]);

        Assert.Null(match.Template);
        Assert.Contains("ambiguous", match.Problem, StringComparison.Ordinal);
        Assert.Contains("briefe", match.Problem, StringComparison.Ordinal);
        Assert.Contains("prozeduren", match.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Detect_RequiredColumnMissing_NoTemplate()
    {
        var match = TableTemplates.Detect(["PatientNr", "FallNr", "dateErstellzeit"]);

        Assert.Null(match.Template);
        Assert.Contains("no known table template", match.Problem, StringComparison.Ordinal);
    }
}
