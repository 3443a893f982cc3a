using System.Text;
using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Processing.Media;
using LxAnnotate.Hub.Processing.Reports;
using LxAnnotate.Hub.Processing.Sensitive;
using LxAnnotate.Hub.Processing.Tools;

namespace LxAnnotate.Hub.Processing.Pipeline;

/// <summary>
/// The report stage: <see cref="ReportProcessor"/> (text, OCR fallback, metadata, anonymized text, image-only
/// anonymized PDF); the patient metadata and gender become SensitiveMeta. The extracted text, the anonymized text and the
/// anonymized PDF are stored through <see cref="SensitiveArtifactWriter"/> (LXENC01 with a master key) at
/// <c>STORAGE_DIR/processed/&lt;center_key&gt;/&lt;job id&gt;.{report.txt,anonymized.txt,anonymized.pdf}[.lxenc]</c>;
/// the PDF is built in a private temporary directory and never published as plaintext when encrypting.
/// </summary>
internal sealed class PdfReportProcessor(ReportProcessor processor, SensitiveArtifactWriter writer) : IReportProcessor
{
    public const string ReportTextKind = "report_text";

    public const string AnonymizedTextKind = "anonymized_text";

    public const string AnonymizedPdfKind = "anonymized_pdf";

    public async Task<ReportResult> ProcessAsync(ProcessingJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var stem = Path.Join("processed", job.CenterKey, job.Id.ToString("N"));
        using var temp = new PrivateTempDirectory();
        var pdfPath = temp.NewFile(".pdf");
        ProcessedReport report;
        try
        {
            report = await processor.ProcessAsync(job.StoredFile, pdfPath, tempRoot: temp.Path, cancellationToken);
        }
        catch (MediaIntegrityException ex)
        {
            throw new ProcessingFailedException(UploadJobErrorCode.MediaIntegrityFailed, "report processing: " + ex.Message, retryable: false, ex);
        }
        catch (ExternalToolException ex)
        {
            throw new ProcessingFailedException(UploadJobErrorCode.ProcessingFailed, $"{ex.Tool} failed during report processing ({ex.Failure})", retryable: true, ex);
        }

        var artifacts = new List<ProducedArtifact>(3);
        using (var text = new MemoryStream(Encoding.UTF8.GetBytes(report.Document.Text), writable: false))
        {
            artifacts.Add(await writer.WriteAsync(ReportTextKind, text, stem + ".report.txt", cancellationToken));
        }

        using (var text = new MemoryStream(Encoding.UTF8.GetBytes(report.AnonymizedText), writable: false))
        {
            artifacts.Add(await writer.WriteAsync(AnonymizedTextKind, text, stem + ".anonymized.txt", cancellationToken));
        }

        await using (var pdf = new FileStream(pdfPath, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true))
        {
            artifacts.Add(await writer.WriteAsync(AnonymizedPdfKind, pdf, stem + ".anonymized.pdf", cancellationToken));
        }

        var m = report.Metadata;
        var values = m.PatientFirstName is null && m.PatientLastName is null && m.DateOfBirth is null
            ? null
            : new SensitiveValues("report", m.PatientFirstName, m.PatientLastName, m.DateOfBirth, m.ExaminationDate, m.ExaminationTime, m.DeviceModel, m.DeviceSerial,
                report.PatientGender);
        return new ReportResult(values, artifacts);
    }
}
