namespace LxAnnotate.Hub.Processing.Ocr;

/// <summary>The fields parsed from one frame's overlay texts; null where the frame gave nothing usable.</summary>
internal sealed record OverlayFrameFields(
    FieldRead<string>? FirstName,
    FieldRead<string>? LastName,
    FieldRead<DateOnly>? DateOfBirth,
    FieldRead<DateOnly>? ExaminationDate,
    FieldRead<TimeOnly>? ExaminationTime,
    FieldRead<string>? EndoscopeType,
    FieldRead<string>? EndoscopeSerial);
