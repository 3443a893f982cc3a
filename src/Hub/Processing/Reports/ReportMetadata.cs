namespace LxAnnotate.Hub.Processing.Reports;

/// <summary>Metadata read from a report's text; null where the report does not say. Holds patient data: never log it.</summary>
internal sealed record ReportMetadata(
    string? PatientFirstName,
    string? PatientLastName,
    DateOnly? DateOfBirth,
    string? CaseNumber,
    string? ExaminerFirstName,
    string? ExaminerLastName,
    DateOnly? ExaminationDate,
    TimeOnly? ExaminationTime,
    string? DeviceModel,
    string? DeviceSerial);
