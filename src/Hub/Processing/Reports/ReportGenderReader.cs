using System.Text.RegularExpressions;
using LxAnnotate.Hub.Processing.Gender;

namespace LxAnnotate.Hub.Processing.Reports;

/// <summary>
/// Determines the genders of a report's patient and examiner as the original's report reader does, most explicit
/// first: a <c>Geschlecht:</c> field (<c>weiblich</c>/<c>w</c>, <c>männlich</c>/<c>m</c>, <c>divers</c>/<c>d</c>) or
/// <c>weiblich</c>/<c>männlich</c> on the patient line (patient only); else the salutations (<c>Frau</c>,
/// <c>Herr</c>/<c>Herrn</c>, titles allowed between) written before the person's name, when they agree; else
/// <c>Patientin</c> in the text (patient only; <c>Patient</c> is the generic form and tells nothing); else the first
/// name in the original's first-name data (<see cref="FirstNameGenders"/>). A pure function.
/// </summary>
internal static partial class ReportGenderReader
{
    /// <summary>The salutations, as a pattern: case-sensitive, since "frau"/"herr" in lower case are not ones.</summary>
    public const string SalutationPattern = @"Frau|FRAU|Herrn?|HERRN?|Fr\.|Hr\.";

    public static ReportGenders Read(string text, ReportMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(metadata);
        var patient = Field(text)
            ?? BySalutation(text, metadata.PatientFirstName, metadata.PatientLastName)
            ?? (FemaleForm().IsMatch(text) ? PatientGenders.Female : null)
            ?? FirstNameGenders.Guess(metadata.PatientFirstName);
        var examiner = BySalutation(text, metadata.ExaminerFirstName, metadata.ExaminerLastName)
            ?? FirstNameGenders.Guess(metadata.ExaminerFirstName);
        return new ReportGenders(patient, examiner);
    }

    private static string? Field(string text)
    {
        var match = GenderField().Match(text);
        if (!match.Success)
        {
            match = GenderOnPatientLine().Match(text);
        }
        if (!match.Success)
        {
            return null;
        }
        return match.Groups["g"].Value.ToUpperInvariant() switch
        {
            "WEIBLICH" or "W" or "F" => PatientGenders.Female,
            "MÄNNLICH" or "MAENNLICH" or "M" => PatientGenders.Male,
            _ => PatientGenders.Unknown,
        };
    }

    /// <summary>The gender the salutations before the person's name say; null when there are none or they disagree.</summary>
    private static string? BySalutation(string text, string? firstName, string? lastName)
    {
        var names = new[] { firstName, lastName }.OfType<string>().SelectMany(SensitiveSpans.NameParts).ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (names.Count == 0)
        {
            return null;
        }
        string? found = null;
        foreach (Match match in Salutation().Matches(text))
        {
            if (!names.Contains(match.Groups["name"].Value))
            {
                continue;
            }
            var gender = match.Groups["s"].Value.StartsWith('F') ? PatientGenders.Female : PatientGenders.Male;
            if (found is not null && found != gender)
            {
                return null;
            }
            found = gender;
        }
        return found;
    }

    [GeneratedRegex(@"\bGeschlecht\s*:?[ \t]*(?<g>weiblich|m(?:ä|ae)nnlich|divers|[wmdf])(?![\p{L}\p{M}])", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex GenderField();

    [GeneratedRegex(@"(?:\bPatient(?:in)?|\bPat\.)\s*:[^\n]*?(?<![\p{L}\p{M}])(?<g>weiblich|m(?:ä|ae)nnlich)(?![\p{L}\p{M}])", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex GenderOnPatientLine();

    [GeneratedRegex(@"(?<![\p{L}\p{M}])(?<s>" + SalutationPattern + @")[ \t]+(?:(?:Prof|Dr|med|PD|Dipl)\.[ \t]*)*(?<name>\p{L}[\p{L}\p{M}'-]*)", RegexOptions.CultureInvariant)]
    private static partial Regex Salutation();

    [GeneratedRegex(@"(?<![\p{L}\p{M}])Patientin(?![\p{L}\p{M}])", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex FemaleForm();
}
