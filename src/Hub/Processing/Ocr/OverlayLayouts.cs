namespace LxAnnotate.Hub.Processing.Ocr;

/// <summary>Overlay layouts shipped with LxAnnotate (the single place their numbers live in code).</summary>
internal static class OverlayLayouts
{
    /// <summary>Name of the Olympus CV-1500 profile.</summary>
    public const string OlympusCv1500Name = "olympus_cv_1500";

    /// <summary>Olympus CV-1500 at 1920×1080, regions as in the original system's profile.</summary>
    public static OverlayLayout OlympusCv1500 { get; } = new(OlympusCv1500Name, 1920, 1080, new Dictionary<OverlayField, RoiRect>
    {
        [OverlayField.EndoscopeImage] = new(550, 0, 1350, 1080),
        [OverlayField.ExaminationDate] = new(0, 0, 390, 40),
        [OverlayField.ExaminationTime] = new(240, 7, 115, 35),
        [OverlayField.PatientFirstName] = new(80, 110, 440, 33),
        [OverlayField.PatientLastName] = new(70, 83, 450, 27),
        [OverlayField.PatientDob] = new(70, 180, 160, 50),
        [OverlayField.EndoscopeType] = new(70, 630, 280, 35),
        [OverlayField.EndoscopeSn] = new(70, 670, 280, 35),
    });

    /// <summary>Every shipped layout by name.</summary>
    public static IReadOnlyDictionary<string, OverlayLayout> All { get; } =
        new Dictionary<string, OverlayLayout>(StringComparer.Ordinal) { [OlympusCv1500Name] = OlympusCv1500 };
}
