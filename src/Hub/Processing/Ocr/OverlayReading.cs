namespace LxAnnotate.Hub.Processing.Ocr;

/// <summary>
/// What <see cref="OverlayReader"/> read from a video's overlay: each field the winner of a per-frame vote that
/// passed the kind, confidence and agreement rules, null when no frame read it or it was dropped. Holds patient
/// data: never log it.
/// </summary>
/// <param name="Quality">How each text field of the layout was decided (numbers only); empty when not known.</param>
internal sealed record OverlayReading(
    VoteResult<string>? FirstName,
    VoteResult<string>? LastName,
    VoteResult<DateOnly>? DateOfBirth,
    VoteResult<DateOnly>? ExaminationDate,
    VoteResult<TimeOnly>? ExaminationTime,
    VoteResult<string>? EndoscopeType,
    VoteResult<string>? EndoscopeSerial,
    int FramesRead,
    bool StoppedEarly,
    IReadOnlyDictionary<OverlayField, FieldQuality>? Quality = null)
{
    /// <summary>True when name, date of birth and examination date were all read.</summary>
    public bool IsComplete => FirstName is not null && LastName is not null && DateOfBirth is not null && ExaminationDate is not null;

    /// <summary>
    /// The quality by profile field name (<see cref="OverlayFieldNames"/>), as stored with the sensitive metadata;
    /// null when not known.
    /// </summary>
    public IReadOnlyDictionary<string, FieldQuality>? QualityByName() =>
        Quality?.ToDictionary(q => OverlayFieldNames.ToWireName(q.Key), q => q.Value, StringComparer.Ordinal);
}
