namespace LxAnnotate.Hub.Upload;

/// <summary>
/// Log events of the REST gateway. Fields are status codes, fixed reason tokens and job ids only: never
/// file names, field values, tokens or other caller-supplied text. The ingest core audits the decisions.
/// </summary>
internal static partial class UploadLog
{
    public const string Category = "LxAnnotate.Hub.Upload";

    [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "upload answered status={StatusCode} job={JobId} created={Created} content_type={ContentType}")]
    public static partial void Accepted(ILogger logger, int statusCode, Guid jobId, bool created, string contentType);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Warning, Message = "upload refused status={StatusCode} reason={Reason}")]
    public static partial void Refused(ILogger logger, int statusCode, string reason);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Information, Message = "upload status read job={JobId} found={Found}")]
    public static partial void StatusRead(ILogger logger, Guid jobId, bool found);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Error, Message = "upload not stored: {Outage}; answered status={StatusCode}")]
    public static partial void Outage(ILogger logger, string outage, int statusCode);
}
