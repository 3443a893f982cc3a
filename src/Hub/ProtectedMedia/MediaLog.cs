namespace LxAnnotate.Hub.ProtectedMedia;

/// <summary>Log events of the protected media endpoint: job ids, status codes and modes only, never paths or file names.</summary>
internal static partial class MediaLog
{
    public const string Category = "LxAnnotate.Hub.ProtectedMedia";

    [LoggerMessage(EventId = 3201, Level = LogLevel.Information, Message = "media answered job={JobId} mode={Mode}")]
    public static partial void Served(ILogger logger, Guid jobId, string mode);

    [LoggerMessage(EventId = 3202, Level = LogLevel.Warning, Message = "media refused status={StatusCode} reason={Reason}")]
    public static partial void Refused(ILogger logger, int statusCode, string reason);

    [LoggerMessage(EventId = 3203, Level = LogLevel.Warning, Message = "media file of job={JobId} is missing from storage")]
    public static partial void FileMissing(ILogger logger, Guid jobId);

    [LoggerMessage(EventId = 3204, Level = LogLevel.Warning, Message = "encrypted media of job={JobId} cannot be opened: {Problem}")]
    public static partial void EncryptedUnreadable(ILogger logger, Guid jobId, string problem);
}
