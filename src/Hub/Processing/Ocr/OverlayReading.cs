namespace LxAnnotate.Hub.Processing.Ocr;

/// <summary>
/// What <see cref="OverlayReader"/> read from a video's overlay, each field the winner of a per-frame vote
/// (null when no frame read it). Holds patient data: never log it.
/// </summary>
internal sealed record OverlayReading(
    VoteResult<string>? FirstName,
    VoteResult<string>? LastName,
    VoteResult<DateOnly>? DateOfBirth,
    VoteResult<DateOnly>? ExaminationDate,
    VoteResult<TimeOnly>? ExaminationTime,
    VoteResult<string>? EndoscopeType,
    VoteResult<string>? EndoscopeSerial,
    int FramesRead,
    bool StoppedEarly)
{
    /// <summary>True when name, date of birth and examination date were all read.</summary>
    public bool IsComplete => FirstName is not null && LastName is not null && DateOfBirth is not null && ExaminationDate is not null;
}
