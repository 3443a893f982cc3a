using LxAnnotate.Hub.Domain;

namespace LxAnnotate.Hub.Processing.Media;

/// <summary>Reads a video's technical facts.</summary>
internal interface IVideoProbe
{
    /// <exception cref="Pipeline.ProcessingFailedException">
    /// <c>media_integrity_failed</c> (not retried) when the file has no video stream or cannot be read;
    /// <c>processing_failed</c> (retried) when the tool timed out or could not be started.
    /// </exception>
    Task<VideoMediaInfo> ProbeAsync(string path, CancellationToken cancellationToken);
}
