namespace LxAnnotate.Hub.Processing.Media;

/// <summary>
/// The input (or an output we produced) is not usable media: no video stream, unreadable, truncated, or
/// an encode that did not yield the expected file. The worker maps it to <c>media_integrity_failed</c>.
/// The message names the problem, never patient data.
/// </summary>
internal class MediaIntegrityException : Exception
{
    public MediaIntegrityException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
