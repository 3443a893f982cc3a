using LxAnnotate.Hub.Domain;

namespace LxAnnotate.Hub.Processing.Pipeline;

/// <summary>
/// The anonymization stage of a video: read the overlay (OCR) at the processor's regions, write the masked
/// video to <c>outputPath</c> and check it. Registered only where the OCR and masking components exist;
/// without one, video jobs end <c>error</c>/<c>invalid_configuration</c> after the probe.
/// </summary>
internal interface IVideoAnonymizer
{
    /// <exception cref="ProcessingFailedException">The stage failed; <c>media_integrity_failed</c> when the self-check found a value.</exception>
    Task<VideoAnonymization> AnonymizeAsync(ProcessingJob job, VideoMediaInfo media, EndoscopyProcessor processor, string outputPath, CancellationToken cancellationToken);
}
