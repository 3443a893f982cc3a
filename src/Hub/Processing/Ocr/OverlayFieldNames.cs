namespace LxAnnotate.Hub.Processing.Ocr;

/// <summary>Wire names of <see cref="OverlayField"/> as processor profiles spell them.</summary>
internal static class OverlayFieldNames
{
    private static readonly (OverlayField Field, string Name)[] Names =
    [
        (OverlayField.EndoscopeImage, "endoscope_image"),
        (OverlayField.ExaminationDate, "examination_date"),
        (OverlayField.ExaminationTime, "examination_time"),
        (OverlayField.PatientFirstName, "patient_first_name"),
        (OverlayField.PatientLastName, "patient_last_name"),
        (OverlayField.PatientDob, "patient_dob"),
        (OverlayField.EndoscopeType, "endoscope_type"),
        (OverlayField.EndoscopeSn, "endoscope_sn"),
    ];

    /// <summary>All fields in profile order.</summary>
    public static IReadOnlyList<OverlayField> All { get; } = Array.ConvertAll(Names, n => n.Field);

    /// <summary>The wire name of <paramref name="field"/>.</summary>
    public static string ToWireName(OverlayField field) =>
        Array.Find(Names, n => n.Field == field).Name ?? throw new ArgumentOutOfRangeException(nameof(field));

    /// <summary>Parses a wire name; false for an unknown one.</summary>
    public static bool TryParse(string name, out OverlayField field)
    {
        foreach (var (candidate, wire) in Names)
        {
            if (string.Equals(wire, name, StringComparison.Ordinal))
            {
                field = candidate;
                return true;
            }
        }
        field = default;
        return false;
    }
}
