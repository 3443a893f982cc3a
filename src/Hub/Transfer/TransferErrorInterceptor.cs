using Grpc.Core.Interceptors;
using Grpc.Core;
using LxAnnotate.Hub.Data;
using LxAnnotate.Hub.Ingest;
using LxAnnotate.Hub.Storage;

namespace LxAnnotate.Hub.Transfer;

/// <summary>
/// Translates refusals of the ingest core and the receiver into precise gRPC status codes, and the hub's own
/// outages (storage full, database unreachable) into codes a node retries, with a message naming the outage.
/// </summary>
internal sealed partial class TransferErrorInterceptor(ILogger<TransferErrorInterceptor> logger) : Interceptor
{
    /// <summary>Trailer carrying the durable offset with a <c>FAILED_PRECONDITION</c> for a wrong offset.</summary>
    public const string ExpectedOffsetTrailer = "lxa-expected-offset";

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        try
        {
            return await continuation(request, context);
        }
        catch (Exception ex) when (Translate(ex) is { } rpc)
        {
            LogOutage(ex, context.Method);
            throw rpc;
        }
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        try
        {
            return await continuation(requestStream, context);
        }
        catch (Exception ex) when (Translate(ex) is { } rpc)
        {
            LogOutage(ex, context.Method);
            throw rpc;
        }
    }

    internal static RpcException? Translate(Exception ex) => ex switch
    {
        IngestRejectedException rejected => new RpcException(new Status(rejected.Reason switch
        {
            IngestRejectionReason.Unauthenticated => StatusCode.Unauthenticated,
            IngestRejectionReason.CenterForbidden => StatusCode.PermissionDenied,
            IngestRejectionReason.CenterMissing or IngestRejectionReason.InvalidInput => StatusCode.InvalidArgument,
            IngestRejectionReason.CenterUnknown => StatusCode.FailedPrecondition,
            IngestRejectionReason.BoundaryNotAvailable => StatusCode.Unimplemented,
            IngestRejectionReason.TooLarge => StatusCode.ResourceExhausted,
            IngestRejectionReason.IntegrityMismatch => StatusCode.DataLoss,
            IngestRejectionReason.IdempotencyConflict => StatusCode.AlreadyExists,
            _ => StatusCode.Internal,
        }, rejected.Message)),
        TransferException transfer => new RpcException(
            new Status(transfer.Kind switch
            {
                TransferErrorKind.NotFound => StatusCode.NotFound,
                TransferErrorKind.InvalidArgument => StatusCode.InvalidArgument,
                TransferErrorKind.TooLarge => StatusCode.ResourceExhausted,
                TransferErrorKind.PermissionDenied => StatusCode.PermissionDenied,
                TransferErrorKind.Unauthenticated => StatusCode.Unauthenticated,
                TransferErrorKind.WrongOffset or TransferErrorKind.NotOpen or TransferErrorKind.PreconditionFailed => StatusCode.FailedPrecondition,
                TransferErrorKind.Busy => StatusCode.Aborted,
                TransferErrorKind.DataLoss => StatusCode.DataLoss,
                _ => StatusCode.Internal,
            }, transfer.Message),
            transfer.ExpectedOffset is { } offset
                ? new Metadata { { ExpectedOffsetTrailer, offset.ToString(System.Globalization.CultureInfo.InvariantCulture) } }
                : []),
        _ when StorageFull.Is(ex) => new RpcException(new Status(StatusCode.ResourceExhausted, StorageFull.Message)),
        _ when DbErrors.IsUnavailable(ex) => new RpcException(new Status(StatusCode.Unavailable, DbErrors.UnavailableMessage)),
        _ => null,
    };

    /// <summary>Refusals are the caller's business; an outage of the hub is the operator's, so it goes to the log.</summary>
    private void LogOutage(Exception ex, string method)
    {
        if (StorageFull.Is(ex))
        {
            LogStorageFull(logger, method);
        }
        else if (DbErrors.IsUnavailable(ex))
        {
            LogDatabaseUnavailable(logger, method, ex.GetType().Name);
        }
    }

    [LoggerMessage(EventId = 1501, Level = LogLevel.Error, Message = "Storage full: No space left on device under STORAGE_DIR; {Method} answered RESOURCE_EXHAUSTED")]
    private static partial void LogStorageFull(ILogger logger, string method);

    [LoggerMessage(EventId = 1502, Level = LogLevel.Error, Message = "Database unavailable ({ErrorType}); {Method} answered UNAVAILABLE")]
    private static partial void LogDatabaseUnavailable(ILogger logger, string method, string errorType);
}
