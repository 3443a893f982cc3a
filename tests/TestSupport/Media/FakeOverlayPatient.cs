namespace LxAnnotate.TestSupport.Media;

/// <summary>Invented overlay values for a generated video (never real patient data), with how each date is written.</summary>
public sealed record FakeOverlayPatient(
    string FirstName,
    string LastName,
    DateOnly DateOfBirth,
    DateOnly ExaminationDate,
    TimeOnly ExaminationTime,
    string EndoscopeType,
    string EndoscopeSerial,
    string DobFormat = "dd.MM.yyyy",
    string ExamDateFormat = "dd.MM.yyyy",
    int FontSize = 22,
    bool LastCommaFirst = false);
