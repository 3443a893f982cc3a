using LxAnnotate.Hub.Processing.Media;
using LxAnnotate.Hub.Processing.Reports;
using LxAnnotate.Hub.Processing.Tools;
using LxAnnotate.Shared.Configuration;
using LxAnnotate.Shared.Domain;

namespace LxAnnotate.Hub.Processing.Pipeline;

/// <summary>
/// The report stage: <see cref="ReportProcessor"/> (text, OCR fallback, metadata, anonymized text, image-only
/// anonymized PDF at <c>STORAGE_DIR/processed/&lt;center_key&gt;/&lt;job id&gt;.pdf</c>); the patient metadata
/// becomes SensitiveMeta. The extracted and anonymized texts are not stored yet (they need the encrypted
/// storage class).
/// </summary>
internal sealed class PdfReportProcessor(ReportProcessor processor, DataPaths paths) : IReportProcessor
{
    public async Task<SensitiveValues?> ProcessAsync(ProcessingJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var output = Path.Join(paths.StorageDir, "processed", job.CenterKey, job.Id.ToString("N") + ".pdf");
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        ProcessedReport report;
        try
        {
            report = await processor.ProcessAsync(job.StoredFile, output, tempRoot: null, cancellationToken);
        }
        catch (MediaIntegrityException ex)
        {
            throw new ProcessingFailedException(UploadJobErrorCode.MediaIntegrityFailed, "report processing: " + ex.Message, retryable: false, ex);
        }
        catch (ExternalToolException ex)
        {
            throw new ProcessingFailedException(UploadJobErrorCode.ProcessingFailed, $"{ex.Tool} failed during report processing ({ex.Failure})", retryable: true, ex);
        }

        var m = report.Metadata;
        return m.PatientFirstName is null && m.PatientLastName is null && m.DateOfBirth is null
            ? null
            : new SensitiveValues("report", m.PatientFirstName, m.PatientLastName, m.DateOfBirth, m.ExaminationDate, m.ExaminationTime, m.DeviceModel, m.DeviceSerial);
    }
}
