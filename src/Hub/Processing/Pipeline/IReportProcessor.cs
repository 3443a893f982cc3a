namespace LxAnnotate.Hub.Processing.Pipeline;

/// <summary>
/// The report stage (text, OCR fallback, metadata, anonymized text and PDF). Registered only where the
/// report components exist; without one, report jobs end <c>error</c>/<c>invalid_configuration</c>.
/// </summary>
internal interface IReportProcessor
{
    /// <returns>The metadata read from the report (null when it names no patient) and the stored artifacts.</returns>
    Task<ReportResult> ProcessAsync(ProcessingJob job, CancellationToken cancellationToken);
}
