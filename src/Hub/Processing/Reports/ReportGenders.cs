namespace LxAnnotate.Hub.Processing.Reports;

/// <summary>
/// The genders of the people a report names, as <see cref="Gender.PatientGenders"/> values; null where nothing
/// tells. Holds patient data: never log it.
/// </summary>
internal sealed record ReportGenders(string? Patient, string? Examiner)
{
    /// <summary>The gender of the person whose first name (or a part of it) is <paramref name="firstName"/>; patient first.</summary>
    public string? OfFirstName(string firstName, ReportMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        if (IsPartOf(firstName, metadata.PatientFirstName))
        {
            return Patient;
        }
        return IsPartOf(firstName, metadata.ExaminerFirstName) ? Examiner : null;
    }

    private static bool IsPartOf(string token, string? name) =>
        name is not null && SensitiveSpans.NameParts(name).Contains(token, StringComparer.OrdinalIgnoreCase);
}
