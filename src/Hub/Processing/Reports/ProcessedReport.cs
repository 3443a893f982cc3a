namespace LxAnnotate.Hub.Processing.Reports;

/// <summary>Everything report processing yields. Holds patient data: store it in the encrypted storage class, never log it.</summary>
/// <param name="Document">Text and word boxes (and whether they came from OCR).</param>
/// <param name="Metadata">Metadata read from the text.</param>
/// <param name="AnonymizedText">The <c>anonymized_text</c>.</param>
/// <param name="AnonymizedPdf">The image-only anonymized PDF.</param>
/// <param name="PatientGender">The patient's gender (<see cref="Gender.PatientGenders"/>); null when nothing tells.</param>
internal sealed record ProcessedReport(ReportDocument Document, ReportMetadata Metadata, string AnonymizedText, AnonymizedPdf AnonymizedPdf, string? PatientGender);
