using System.Globalization;

namespace LxAnnotate.TestSupport.Media;

/// <summary>
/// Draws a <see cref="FakeOverlayPatient"/> the way an Olympus CV-1500 overlay places it at 1920×1080
/// (the regions of the shipped <c>olympus_cv_1500</c> profile, written out here independently of the
/// production constants so a wrong constant fails the tests).
/// </summary>
public static class OlympusOverlayFixture
{
    /// <summary>The endoscope picture region.</summary>
    public static (int X, int Y, int Width, int Height) Scene => (550, 0, 1350, 1080);

    /// <summary>Text lines for <paramref name="patient"/>, each inside its region.</summary>
    public static IReadOnlyList<OverlayText> Texts(FakeOverlayPatient patient)
    {
        ArgumentNullException.ThrowIfNull(patient);
        var size = patient.FontSize;
        var lines = new List<OverlayText>
        {
            // examination_date 0,0,390,40 and examination_time 240,7,115,35
            new(patient.ExaminationDate.ToString(patient.ExamDateFormat, CultureInfo.InvariantCulture), 10, 10, Math.Min(size, 24)),
            new(patient.ExaminationTime.ToString("HH:mm", CultureInfo.InvariantCulture), 250, 12, Math.Min(size, 24)),
            // patient_dob 70,180,160,50
            new(patient.DateOfBirth.ToString(patient.DobFormat, CultureInfo.InvariantCulture), 74, 192, Math.Min(size, 22)),
            // endoscope_type 70,630,280,35 and endoscope_sn 70,670,280,35
            new(patient.EndoscopeType, 76, 636, Math.Min(size, 22)),
            new(patient.EndoscopeSerial, 76, 676, Math.Min(size, 22)),
        };
        if (patient.LastCommaFirst)
        {
            // patient_last_name 70,83,450,27 holding "Last, First"
            lines.Add(new($"{patient.LastName}, {patient.FirstName}", 74, 85, Math.Min(size, 19)));
        }
        else
        {
            lines.Add(new(patient.LastName, 74, 85, Math.Min(size, 19)));
            // patient_first_name 80,110,440,33
            lines.Add(new(patient.FirstName, 84, 114, Math.Min(size, 22)));
        }
        return lines;
    }

    /// <summary>Writes a short overlay video of <paramref name="patient"/> to <paramref name="path"/>.</summary>
    public static Task CreateVideoAsync(string path, FakeOverlayPatient patient, double seconds = 2, int fps = 4, bool audio = true) =>
        SyntheticMedia.CreateOverlayVideoAsync(path, Texts(patient), Scene, 1920, 1080, seconds, fps, audio);
}
