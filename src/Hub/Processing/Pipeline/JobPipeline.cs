using LxAnnotate.Hub.Data;
using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Processing.Media;
using LxAnnotate.Hub.Processing.Sensitive;
using LxAnnotate.Hub.Processing.Tools;
using LxAnnotate.Shared.Configuration;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.Hub.Processing.Pipeline;

/// <summary>
/// What happens to one claimed job, by content type:
/// <list type="bullet">
/// <item>stored file missing → <c>lost</c> / <c>source_missing</c>;</item>
/// <item>video → probe (no video stream, unreadable, no decodable first frame, frame data ending before the declared
/// duration → <c>error</c> / <c>media_integrity_failed</c>, before any OCR or encode) →
/// preanonymized: <c>anonymized</c>; else the center's processor profile → <see cref="IVideoAnonymizer"/>
/// (overlay values, masked video, <c>processed_video_hash</c>) → <c>anonymized</c> with SensitiveMeta and a
/// <c>masked_video</c> artifact;</item>
/// <item>PDF report → preanonymized: <c>anonymized</c>; else <see cref="IReportProcessor"/> → <c>anonymized</c> with the
/// encrypted report text, anonymized text and anonymized PDF;</item>
/// <item>any other content type → <c>error</c> / <c>invalid_input</c>.</item>
/// </list>
/// A stage that is not installed ends the job <c>error</c> / <c>invalid_configuration</c>; an operator
/// retries it (<c>lxa-hub jobs retry</c>) once the stage is available.
/// </summary>
internal sealed class JobPipeline(
    LxaDbContext db,
    DataPaths paths,
    IVideoProbe probe,
    IEnumerable<IVideoAnonymizer> anonymizers,
    IEnumerable<IReportProcessor> reportProcessors)
{
    /// <summary>The masked video: large media, class <c>managed</c> (plaintext on the operator's encrypted filesystem).</summary>
    public const string MaskedVideoKind = "masked_video";

    public async Task<ProcessingOutcome> RunAsync(ProcessingJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (!File.Exists(job.StoredFile))
        {
            return new ProcessingOutcome(UploadJobStatus.Lost, UploadJobErrorCode.SourceMissing, "the stored file is missing");
        }

        VideoMediaInfo? media = null;
        try
        {
            if (job.IsVideo)
            {
                media = await probe.ProbeAsync(job.StoredFile, cancellationToken);
                if (job.IsPreanonymized)
                {
                    return new ProcessingOutcome(UploadJobStatus.Anonymized, MediaInfo: media);
                }

                return await AnonymizeVideoAsync(job, media, cancellationToken);
            }

            if (job.IsReport)
            {
                if (job.IsPreanonymized)
                {
                    return new ProcessingOutcome(UploadJobStatus.Anonymized);
                }

                var report = reportProcessors.FirstOrDefault() ?? throw NotInstalled("report processing");
                var result = await report.ProcessAsync(job, cancellationToken);
                return new ProcessingOutcome(UploadJobStatus.Anonymized, SensitiveMeta: result.Values, Artifacts: result.Artifacts);
            }

            return new ProcessingOutcome(UploadJobStatus.Error, UploadJobErrorCode.InvalidInput,
                $"content type '{job.ContentType}' has no processing pipeline");
        }
        catch (ProcessingFailedException ex)
        {
            // The detail is stored and shown to operators: no tool's memory addresses in it, whatever stage wrote it.
            return ProcessingOutcome.Failed(ex, media) with { ErrorDetail = ToolErrorText.WithoutAddresses(ex.Message) };
        }
    }

    private async Task<ProcessingOutcome> AnonymizeVideoAsync(ProcessingJob job, VideoMediaInfo media, CancellationToken cancellationToken)
    {
        var anonymizer = anonymizers.FirstOrDefault() ?? throw NotInstalled("video anonymization (overlay OCR and masking)");
        var processor = await ProcessorForAsync(job.CenterId, cancellationToken);
        var output = ProcessedVideoPath(paths, job);
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        var result = await anonymizer.AnonymizeAsync(job, media, processor, output, cancellationToken);
        var video = new ProducedArtifact(MaskedVideoKind, SensitiveArtifactWriter.ManagedClass, Path.GetRelativePath(paths.StorageDir, output),
            new FileInfo(output).Length, result.ProcessedVideoHash);
        return new ProcessingOutcome(UploadJobStatus.Anonymized, MediaInfo: media, ProcessedVideoHash: result.ProcessedVideoHash, SensitiveMeta: result.Values, Artifacts: [video]);
    }

    /// <summary>Where the masked video of a job is written: <c>STORAGE_DIR/processed/&lt;center_key&gt;/&lt;job id&gt;.mp4</c>.</summary>
    public static string ProcessedVideoPath(DataPaths paths, ProcessingJob job)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(job);
        return Path.Join(paths.StorageDir, "processed", job.CenterKey, job.Id.ToString("N") + ".mp4");
    }

    /// <summary>The center's default processor; without one, the shipped <c>olympus_cv_1500</c>.</summary>
    private async Task<EndoscopyProcessor> ProcessorForAsync(long centerId, CancellationToken cancellationToken) =>
        await db.CenterProcessors.AsNoTracking().Where(cp => cp.CenterId == centerId && cp.IsDefault).Select(cp => cp.Processor!).FirstOrDefaultAsync(cancellationToken)
        ?? await db.EndoscopyProcessors.AsNoTracking().FirstOrDefaultAsync(p => p.Name == EndoscopyProcessor.OlympusCv1500, cancellationToken)
        ?? throw new ProcessingFailedException(UploadJobErrorCode.InvalidConfiguration, "no processor profile for the center and no 'olympus_cv_1500'", retryable: false);

    private static ProcessingFailedException NotInstalled(string stage) =>
        new(UploadJobErrorCode.InvalidConfiguration, stage + " is not available on this hub", retryable: false);
}
