using System.Text.Json.Serialization;
using LxAnnotate.Hub.Processing.Ocr;

namespace LxAnnotate.Hub.Processing.Pipeline;

/// <summary>Patient and examination values read from an artifact. <see cref="ToString"/> never prints them.</summary>
/// <param name="Source"><c>ocr</c>, <c>report</c> or <c>sidecar</c> (<see cref="Sensitive.SensitiveSources"/>).</param>
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
    /// <summary>
    /// For overlay OCR: how each field the processor profile has was decided, by profile field name (numbers only,
    /// stored as <c>sensitive_meta.field_quality</c>); null for other sources. Not part of the encrypted values file.
    /// </summary>
    [JsonIgnore]
    public IReadOnlyDictionary<string, FieldQuality>? FieldQuality { get; init; }

    public override string ToString() => $"SensitiveValues {{ Source = {Source}, values withheld }}";
}
