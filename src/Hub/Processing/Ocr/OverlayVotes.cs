namespace LxAnnotate.Hub.Processing.Ocr;

/// <summary>
/// Per-field tallies of one video's sampled frames (<see cref="OverlayReader"/>): each frame's texts are parsed
/// (<see cref="OverlayFrameParser"/>), each read is checked against its field's kind (<see cref="OverlayFieldKinds"/>),
/// and <see cref="ToReading"/> keeps a field only when it passes <see cref="OverlayReaderOptions"/>' thresholds.
/// </summary>
internal sealed class OverlayVotes(DateOnly today, OverlayReaderOptions options)
{
    private readonly FieldTally<string> first = new(OverlayFieldKinds.IsName, StringComparer.Ordinal);
    private readonly FieldTally<string> last = new(OverlayFieldKinds.IsName, StringComparer.Ordinal);
    private readonly FieldTally<DateOnly> dob = new(d => OverlayFieldKinds.IsBirthDate(d, today));
    private readonly FieldTally<DateOnly> exam = new(d => OverlayFieldKinds.IsExaminationDate(d, today));
    private readonly FieldTally<TimeOnly> examTime = new(_ => true);
    private readonly FieldTally<string> type = new(OverlayFieldKinds.IsEndoscopeType, StringComparer.Ordinal);
    private readonly FieldTally<string> serial = new(OverlayFieldKinds.IsEndoscopeSerial, StringComparer.Ordinal);

    /// <summary>Frames added so far.</summary>
    public int Frames { get; private set; }

    public void AddFrame(IReadOnlyDictionary<OverlayField, OcrLine> texts)
    {
        var frame = OverlayFrameParser.Parse(texts, today.Year);
        Frames++;
        first.Add(frame.FirstName);
        last.Add(frame.LastName);
        dob.Add(frame.DateOfBirth);
        exam.Add(frame.ExaminationDate);
        examTime.Add(frame.ExaminationTime);
        type.Add(frame.EndoscopeType);
        serial.Add(frame.EndoscopeSerial);
    }

    /// <summary>
    /// True when name, date of birth and examination date (those the layout has) each have
    /// <paramref name="votes"/> agreeing frames and would be kept: further frames are not needed.
    /// </summary>
    public bool HasAgreement(OverlayLayout layout, int votes) =>
        (!layout.Regions.ContainsKey(OverlayField.PatientFirstName) || first.WouldKeep(Frames, votes, options))
        && (!layout.Regions.ContainsKey(OverlayField.PatientLastName) || last.WouldKeep(Frames, votes, options))
        && (!layout.Regions.ContainsKey(OverlayField.PatientDob) || dob.WouldKeep(Frames, votes, options))
        && (!layout.Regions.ContainsKey(OverlayField.ExaminationDate) || exam.WouldKeep(Frames, votes, options));

    /// <summary>The kept values and, for every text field of <paramref name="layout"/>, how it was decided.</summary>
    public OverlayReading ToReading(OverlayLayout layout, bool stoppedEarly)
    {
        var quality = new Dictionary<OverlayField, FieldQuality>();
        VoteResult<T>? Keep<T>(OverlayField field, FieldTally<T> tally)
            where T : notnull
        {
            var (value, fieldQuality) = tally.Decide(Frames, options);
            if (layout.Regions.ContainsKey(field))
            {
                quality[field] = fieldQuality;
            }
            return value;
        }

        var lastName = Keep(OverlayField.PatientLastName, last);
        // A layout without a first-name region may still give one ("Last, First" in the last-name region): it is kept
        // by the same rules, but it is not a field the profile expects.
        var firstName = Keep(OverlayField.PatientFirstName, first);
        return new OverlayReading(
            firstName, lastName, Keep(OverlayField.PatientDob, dob), Keep(OverlayField.ExaminationDate, exam),
            Keep(OverlayField.ExaminationTime, examTime), Keep(OverlayField.EndoscopeType, type), Keep(OverlayField.EndoscopeSn, serial),
            Frames, stoppedEarly, quality);
    }
}
