namespace LxAnnotate.Hub.PythonEraTransfers;

/// <summary>Log lines of the hub transfer endpoints: keys, statuses and codes only, never secrets or content.</summary>
internal static partial class HubTransferLog
{
    public const string Category = "LxAnnotate.HubTransfers";

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Hub transfer {TransferKey} created for node {NodeKey} (status {StatusCode}).")]
    public static partial void Created(ILogger logger, string transferKey, string nodeKey, int statusCode);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "Hub transfer request refused with {StatusCode} ({Code}, phase {Phase}).")]
    public static partial void Refused(ILogger logger, int statusCode, string? code, string? phase);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "Hub transfer {TransferKey} applied as upload job {UploadJobId} ({Generation}, {SizeBytes} bytes).")]
    public static partial void Applied(ILogger logger, string transferKey, Guid uploadJobId, string generation, long sizeBytes);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "Hub transfer {TransferKey} is inconsistent: different media was sent after it was applied.")]
    public static partial void Inconsistent(ILogger logger, string transferKey);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Information, Message = "Hub transfer {TransferKey}: identical media replayed; the receipt is returned again.")]
    public static partial void Replayed(ILogger logger, string transferKey);
}
