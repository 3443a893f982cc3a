namespace LxAnnotate.Hub.Processing.Pipeline;

/// <summary>Patient and examination values read from an artifact. <see cref="ToString"/> never prints them.</summary>
/// <param name="Source"><c>ocr</c>, <c>report</c> or <c>sidecar</c>.</param>
/// <param name="Gender"><c>male</c>, <c>female</c> or <c>unknown</c> as the original names them; null when not determined.</param>
internal sealed record SensitiveValues(
    string Source,
    string? FirstName,
    string? LastName,
    DateOnly? DateOfBirth,
    DateOnly? ExaminationDate,
    TimeOnly? ExaminationTime,
    string? EndoscopeType,
    string? EndoscopeSn,
    string? Gender = null)
{
    public override string ToString() => $"SensitiveValues {{ Source = {Source}, values withheld }}";
}
