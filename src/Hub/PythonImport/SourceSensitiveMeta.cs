namespace LxAnnotate.Hub.PythonImport;

/// <summary>A row of the original's <c>endoreg_db_sensitivemeta</c>. <see cref="ToString"/> never prints the values.</summary>
internal sealed record SourceSensitiveMeta(
    long Id,
    long? CenterId,
    string? FirstName,
    string? LastName,
    DateOnly? DateOfBirth,
    DateOnly? ExaminationDate,
    TimeOnly? ExaminationTime,
    string? EndoscopeType,
    string? EndoscopeSn,
    string? PatientHash,
    string? ExaminationHash)
{
    public override string ToString() => $"SourceSensitiveMeta {{ Id = {Id}, values withheld }}";
}
