using LxAnnotate.Hub.Processing.Ocr;

namespace LxAnnotate.Hub.Processing.Operators;

/// <summary>
/// A job's sensitive metadata as operators see it: whether it is verified, which hashes exist and how each overlay
/// field was read (numbers only); never a value.
/// </summary>
/// <param name="IsVerified">False while a field the source's profile expects is missing or unsure: a person checks the values.</param>
/// <param name="FieldQuality">Per profile field name: confidence, agreement, kept or why dropped; null for sources not read by OCR.</param>
internal sealed record JobSensitiveMetaView(
    long Id,
    string Source,
    bool IsVerified,
    bool HasPatientHash,
    bool HasExaminationHash,
    IReadOnlyDictionary<string, FieldQuality>? FieldQuality);
