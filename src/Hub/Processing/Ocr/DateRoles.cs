namespace LxAnnotate.Hub.Processing.Ocr;

/// <summary>Which found date is the date of birth and which the examination date.</summary>
/// <param name="DateOfBirth">Date of birth, when decided.</param>
/// <param name="ExaminationDate">Examination date, when decided.</param>
/// <param name="ExaminationTime">The time written right after the examination date, if any.</param>
internal sealed record DateRoles(DateOnly? DateOfBirth, DateOnly? ExaminationDate, TimeOnly? ExaminationTime);
