using System.Text;

namespace LxAnnotate.Hub.Processing.Ocr;

/// <summary>
/// Turns one frame's OCR lines (by region) into field values. Names: the last-name region may hold
/// <c>Last, First</c> (then it gives both parts), otherwise each name region is one cleaned part. Dates:
/// every date in the date-of-birth and examination-date regions goes through <see cref="DateRoleResolver"/>
/// (labels, then older = birth, then date-with-time = examination), the region a date came from deciding
/// only when nothing else does. A pure function.
/// </summary>
internal static class OverlayFrameParser
{
    public static OverlayFrameFields Parse(IReadOnlyDictionary<OverlayField, OcrLine> texts, int pivotYear)
    {
        FieldRead<string>? first = null, last = null;
        if (texts.TryGetValue(OverlayField.PatientLastName, out var lastLine))
        {
            if (lastLine.Text.Contains(',', StringComparison.Ordinal) && NameParsing.ParseFullName(lastLine.Text) is { } full)
            {
                last = NameRead(full.LastName, lastLine);
                first = NameRead(full.FirstName, lastLine);
            }
            else
            {
                last = NameRead(NameParsing.CleanPart(lastLine.Text), lastLine);
            }
        }
        if (texts.TryGetValue(OverlayField.PatientFirstName, out var firstLine) && NameParsing.CleanPart(firstLine.Text) is { } firstName)
        {
            first = NameRead(firstName, firstLine);
        }

        var origins = new Dictionary<FoundDate, (DateLabel Role, double Confidence)>(ReferenceEqualityComparer.Instance);
        var dates = new List<FoundDate>();
        foreach (var (field, role) in new[] { (OverlayField.PatientDob, DateLabel.Birth), (OverlayField.ExaminationDate, DateLabel.Examination) })
        {
            if (!texts.TryGetValue(field, out var line))
            {
                continue;
            }
            foreach (var date in DateParsing.FindDates(DateParsing.NormalizeDigits(line.Text), pivotYear))
            {
                dates.Add(date);
                origins[date] = (role, line.Confidence);
            }
        }
        var roles = DateRoleResolver.Resolve(dates, d => origins[d].Role);
        FieldRead<DateOnly>? dob = roles.DateOfBirth is { } b ? new(b, ConfidenceOf(dates, origins, b)) : null;
        FieldRead<DateOnly>? exam = roles.ExaminationDate is { } e ? new(e, ConfidenceOf(dates, origins, e)) : null;

        FieldRead<TimeOnly>? time = null;
        if (texts.TryGetValue(OverlayField.ExaminationTime, out var timeLine) && DateParsing.FindTime(DateParsing.NormalizeDigits(timeLine.Text)) is { } t)
        {
            time = new FieldRead<TimeOnly>(t, timeLine.Confidence);
        }
        else if (roles.ExaminationTime is { } dateTime && roles.ExaminationDate is { } examDate)
        {
            time = new FieldRead<TimeOnly>(dateTime, ConfidenceOf(dates, origins, examDate));
        }

        return new OverlayFrameFields(first, last, dob, exam, time,
            Read(CleanDeviceText(texts, OverlayField.EndoscopeType), texts.GetValueOrDefault(OverlayField.EndoscopeType)),
            Read(CleanDeviceText(texts, OverlayField.EndoscopeSn), texts.GetValueOrDefault(OverlayField.EndoscopeSn)));
    }

    /// <summary>Device text: letters, digits, <c>-</c>, <c>/</c>, <c>.</c> and single inner spaces; null when under two characters.</summary>
    public static string? CleanDeviceText(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c) || c is '-' or '/' or '.')
            {
                builder.Append(c);
            }
            else if (char.IsWhiteSpace(c) && builder.Length > 0 && builder[^1] != ' ')
            {
                builder.Append(' ');
            }
        }
        var result = builder.ToString().Trim(' ', '-', '.', '/');
        return result.Length >= 2 ? result : null;
    }

    private static string? CleanDeviceText(IReadOnlyDictionary<OverlayField, OcrLine> texts, OverlayField field) =>
        texts.TryGetValue(field, out var line) ? CleanDeviceText(line.Text) : null;

    private static FieldRead<string>? Read(string? value, OcrLine? line) =>
        value is null || line is null ? null : new FieldRead<string>(value, line.Confidence);

    private static FieldRead<string>? NameRead(string? value, OcrLine line) =>
        value is null ? null : new FieldRead<string>(value, line.Confidence, OverlayFieldKinds.IsNameLine(line.Text));

    private static double ConfidenceOf(List<FoundDate> dates, Dictionary<FoundDate, (DateLabel Role, double Confidence)> origins, DateOnly date) =>
        origins[dates.First(d => d.Date == date)].Confidence;
}
