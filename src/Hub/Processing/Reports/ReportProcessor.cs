namespace LxAnnotate.Hub.Processing.Reports;

/// <summary>
/// The report pipeline in one call: text (PdfPig, OCR fallback) → metadata and genders → <c>anonymized_text</c> →
/// image-only anonymized PDF.
/// </summary>
internal sealed class ReportProcessor(ReportTextExtractor extractor, ReportPdfAnonymizer pdfAnonymizer, TimeProvider time)
{
    /// <summary>Processes the report at <paramref name="pdfPath"/>, writing the anonymized PDF to <paramref name="anonymizedPdfPath"/>.</summary>
    /// <exception cref="ReportUnreadableException">Not a readable PDF.</exception>
    /// <exception cref="ReportRedactionException">The anonymized PDF failed its check.</exception>
    /// <exception cref="Tools.ExternalToolException">pdftoppm or Tesseract failed (timeout, limits, crash).</exception>
    public async Task<ProcessedReport> ProcessAsync(string pdfPath, string anonymizedPdfPath, string? tempRoot, CancellationToken cancellationToken)
    {
        var pivotYear = time.GetUtcNow().Year;
        var document = await extractor.ExtractAsync(pdfPath, tempRoot, cancellationToken).ConfigureAwait(false);
        var metadata = ReportMetadataParser.Parse(document.Text, pivotYear);
        var genders = ReportGenderReader.Read(document.Text, metadata);
        var anonymizedText = ReportTextAnonymizer.Anonymize(document.Text, metadata, genders, document.Sha256, pivotYear);
        var pdf = await pdfAnonymizer.CreateAsync(pdfPath, document, metadata, anonymizedPdfPath, tempRoot, cancellationToken).ConfigureAwait(false);
        return new ProcessedReport(document, metadata, anonymizedText, pdf, genders.Patient);
    }
}
