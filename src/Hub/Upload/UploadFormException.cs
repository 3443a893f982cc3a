namespace LxAnnotate.Hub.Upload;

/// <summary>The multipart body cannot be accepted; carries the HTTP status and a message safe to return.</summary>
/// <param name="statusCode">400: a malformed or incomplete form, or a body over the limit (reason <c>too_large</c>).</param>
/// <param name="reason">Fixed token for the log (never caller-supplied text).</param>
/// <param name="message">Answer for the caller.</param>
internal sealed class UploadFormException(int statusCode, string reason, string message) : Exception(message)
{
    public int StatusCode { get; } = statusCode;

    public string Reason { get; } = reason;
}
