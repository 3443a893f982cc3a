using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Metrics;
using LxAnnotate.Hub.Processing.Masking;
using LxAnnotate.Hub.Processing.Media;
using LxAnnotate.Hub.Processing.Ocr;
using LxAnnotate.Hub.Processing.Processors;
using LxAnnotate.Hub.Processing.Tools;

namespace LxAnnotate.Hub.Processing.Pipeline;

/// <summary>
/// The video stage: <see cref="OverlayReader"/> reads the overlay at the processor's regions, <see cref="VideoMasker"/>
/// writes the masked video and runs its OCR self-check. Failures become the worker's error codes: unreadable
/// media, a video of which no sampled frame could be read, or a failed self-check → <c>media_integrity_failed</c>
/// (nothing is released); a tool timeout, limit or
/// crash → retryable <c>processing_failed</c>. Details name the failure, never a value. The confidence of every
/// decided field goes to <see cref="WorkerMetrics.FieldRead"/> (the field's name, never its value).
/// </summary>
internal sealed class OverlayVideoAnonymizer(OverlayReader reader, VideoMasker masker, WorkerMetrics metrics) : IVideoAnonymizer
{
    public async Task<VideoAnonymization> AnonymizeAsync(ProcessingJob job, VideoMediaInfo media, EndoscopyProcessor processor, string outputPath, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(media);
        var layout = ProcessorLayouts.ToOverlayLayout(processor);
        try
        {
            var shape = VideoShape.From(media);
            var reading = await reader.ReadAsync(job.StoredFile, shape.Duration, layout, OverlayReaderOptions.Default, cancellationToken);
            if (reading.FramesRead == 0)
            {
                // Empty fields from no frame at all are not "nothing to hide": nothing was looked at.
                throw new MediaIntegrityException("no frame of the video could be read");
            }
            var masked = await masker.MaskAsync(job.StoredFile, shape, outputPath, layout, reading, tempRoot: null, cancellationToken);
            var values = new SensitiveValues("ocr", reading.FirstName?.Value, reading.LastName?.Value, reading.DateOfBirth?.Value,
                reading.ExaminationDate?.Value, reading.ExaminationTime?.Value, reading.EndoscopeType?.Value, reading.EndoscopeSerial?.Value,
                Gender.FirstNameGenders.Guess(reading.FirstName?.Value)) // no overlay profile shows a gender field
                { FieldQuality = reading.QualityByName() };
            foreach (var (field, quality) in values.FieldQuality ?? new Dictionary<string, FieldQuality>())
            {
                metrics.FieldRead(field, quality.Confidence);
            }
            return new VideoAnonymization(values, masked.Sha256);
        }
        catch (MaskingSelfCheckFailedException ex)
        {
            throw new ProcessingFailedException(UploadJobErrorCode.MediaIntegrityFailed,
                "the masked video failed its self-check: overlay values are still readable", retryable: false, ex);
        }
        catch (MediaIntegrityException ex)
        {
            throw new ProcessingFailedException(UploadJobErrorCode.MediaIntegrityFailed, "video anonymization: " + ex.Message, retryable: false, ex);
        }
        catch (ExternalToolException ex)
        {
            throw new ProcessingFailedException(UploadJobErrorCode.ProcessingFailed,
                $"{ex.Tool} failed during video anonymization ({ex.Failure})", retryable: true, ex);
        }
    }
}
