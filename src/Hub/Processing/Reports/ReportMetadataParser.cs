using System.Text.RegularExpressions;
using LxAnnotate.Hub.Processing.Ocr;

namespace LxAnnotate.Hub.Processing.Reports;

/// <summary>
/// Reads report metadata from text: the patient line (<c>Patient:</c>/<c>Pat.:</c> <c>Last, First</c>,
/// <c>geb.</c>/<c>geboren am</c> date, <c>Fallnummer</c>/<c>Fallnr.</c>), the examination line
/// (<c>Unters.:</c> examiner, <c>U-datum:</c> date and time) and the device line (<c>Gerät:</c> model,
/// <c>Seriennummer</c>). A salutation before a name (<c>Frau</c>, <c>Herr</c>) is not part of it. Dates without a label are assigned by <see cref="DateRoleResolver"/>. A pure function.
/// </summary>
internal static partial class ReportMetadataParser
{
    public static ReportMetadata Parse(string text, int pivotYear)
    {
        PersonName? patient = null;
        var patientMatch = PatientLine().Match(text);
        if (patientMatch.Success)
        {
            patient = NameParsing.ParseFullName(StripSalutation(CutAtStop(patientMatch.Groups["rest"].Value)));
        }

        PersonName? examiner = null;
        var examinerMatch = ExaminerLine().Match(text);
        if (examinerMatch.Success)
        {
            examiner = NameParsing.ParseFullName(StripTitles(CutAtStop(examinerMatch.Groups["rest"].Value)));
        }

        var roles = DateRoleResolver.Resolve(DateParsing.FindDates(text, pivotYear));
        var caseNumber = CaseNumber().Match(text) is { Success: true } c ? c.Groups["n"].Value : null;
        string? model = null;
        var device = DeviceLine().Match(text);
        if (device.Success)
        {
            var rest = device.Groups["rest"].Value;
            var stop = DeviceStop().Match(rest);
            model = OverlayFrameParser.CleanDeviceText(stop.Success ? rest[..stop.Index] : rest);
        }
        var serial = SerialNumber().Match(text) is { Success: true } s ? s.Groups["n"].Value : null;

        return new ReportMetadata(patient?.FirstName, patient?.LastName, roles.DateOfBirth, caseNumber,
            examiner?.FirstName, examiner?.LastName, roles.ExaminationDate, roles.ExaminationTime, model, serial);
    }

    /// <summary>The part of a labelled value before the next label, separator or number on its line.</summary>
    private static string CutAtStop(string rest)
    {
        var stop = StopPattern().Match(rest);
        return stop.Success ? rest[..stop.Index] : rest;
    }

    private static string StripTitles(string name) => Titles().Replace(StripSalutation(name), " ").Trim();

    /// <summary>A leading <c>Frau</c>/<c>Herr</c> is a salutation (it tells the gender), not a part of the name.</summary>
    private static string StripSalutation(string name) => Salutation().Replace(name, "");

    [GeneratedRegex(@"(?:\bPatient(?:in)?|\bPat\.)\s*:[ \t]*(?<rest>[^\n]*)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex PatientLine();

    [GeneratedRegex(@"\bUnters\.?(?:uchende[rs]?|ucher(?:in)?)?\s*:[ \t]*(?<rest>[^\n]*)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex ExaminerLine();

    [GeneratedRegex(@"\bGer(?:ä|ae)t\s*:[ \t]*(?<rest>[^\n]*)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex DeviceLine();

    [GeneratedRegex(@"(?:\bFallnummer|\bFallnr\.?)\s*:?\s*(?<n>[A-Za-z0-9][A-Za-z0-9/-]*)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex CaseNumber();

    [GeneratedRegex(@"(?:\bSeriennummer|\bSerien-?Nr\.?|\bS/N)\s*:?\s*(?<n>[A-Za-z0-9][A-Za-z0-9-]*)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex SerialNumber();

    [GeneratedRegex(@"\s{2,}|\t|;|\*|\d|\b(?:geb\.|geb\b|geboren|Fallnummer|Fallnr|U-?datum|Seriennummer|Serien-?Nr|S/N|Geschlecht|weiblich|m(?:ä|ae)nnlich)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex StopPattern();

    [GeneratedRegex(@"\s{2,}|\t|;|,|\b(?:Seriennummer|Serien-?Nr|S/N)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex DeviceStop();

    [GeneratedRegex(@"^\s*(?:" + ReportGenderReader.SalutationPattern + @")(?=\s|$)", RegexOptions.CultureInvariant)]
    private static partial Regex Salutation();

    [GeneratedRegex(@"\b(?:Prof|Dr|med|PD|Dipl|rer|nat)\.(?:\s|$)|\bDr\b", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex Titles();
}
