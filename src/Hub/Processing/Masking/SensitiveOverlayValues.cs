using System.Globalization;
using LxAnnotate.Hub.Processing.Ocr;

namespace LxAnnotate.Hub.Processing.Masking;

/// <summary>
/// The values the masked video must no longer show, and the test whether an OCR line shows one of them:
/// a text value matches when it appears in the line ignoring case and whitespace; a date matches when a date
/// parsed from the line equals it. Holds patient data: never log it.
/// </summary>
internal sealed class SensitiveOverlayValues
{
    private readonly List<(string Field, string Normalized)> texts = [];
    private readonly List<(string Field, DateOnly Date)> dates = [];

    /// <summary>The values of <paramref name="reading"/> (names, dates, time, endoscope type and serial).</summary>
    public static SensitiveOverlayValues From(OverlayReading reading)
    {
        var values = new SensitiveOverlayValues();
        values.AddText("patient_first_name", reading.FirstName?.Value);
        values.AddText("patient_last_name", reading.LastName?.Value);
        values.AddText("endoscope_type", reading.EndoscopeType?.Value);
        values.AddText("endoscope_sn", reading.EndoscopeSerial?.Value);
        values.AddText("examination_time", reading.ExaminationTime?.Value.ToString("HH:mm", CultureInfo.InvariantCulture));
        if (reading.DateOfBirth is { } dob)
        {
            values.dates.Add(("patient_dob", dob.Value));
        }
        if (reading.ExaminationDate is { } exam)
        {
            values.dates.Add(("examination_date", exam.Value));
        }
        return values;
    }

    /// <summary>True when there is nothing to look for.</summary>
    public bool IsEmpty => texts.Count == 0 && dates.Count == 0;

    /// <summary>The fields whose values appear in <paramref name="ocrText"/>.</summary>
    public IEnumerable<string> FieldsFoundIn(string ocrText, int pivotYear)
    {
        var normalized = Normalize(ocrText);
        foreach (var (field, value) in texts)
        {
            if (normalized.Contains(value, StringComparison.Ordinal))
            {
                yield return field;
            }
        }
        var found = DateParsing.FindDates(DateParsing.NormalizeDigits(ocrText), pivotYear);
        foreach (var (field, date) in dates)
        {
            if (found.Any(f => f.Date == date))
            {
                yield return field;
            }
        }
    }

    private void AddText(string field, string? value)
    {
        if (value is not null && Normalize(value) is { Length: >= 3 } normalized)
        {
            texts.Add((field, normalized));
        }
    }

    private static string Normalize(string text) =>
        string.Concat(text.Where(c => !char.IsWhiteSpace(c))).ToLowerInvariant();
}
