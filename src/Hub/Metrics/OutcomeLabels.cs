using Grpc.Core;
using LxAnnotate.Hub.Data;
using LxAnnotate.Hub.Storage;
using LxAnnotate.Hub.Transfer;

namespace LxAnnotate.Hub.Metrics;

/// <summary>Fixed label values for the outcome of a transfer call, from its reply or the exception it ended with.</summary>
internal static class OutcomeLabels
{
    public const string Stored = "stored";
    public const string AlreadyStored = "already_stored";
    public const string TransferOpened = "transfer";
    public const string Refused = "refused";
    public const string Error = "error";
    public const string Cancelled = "cancelled";

    /// <summary>The gRPC status a failed call answers with (the translation the transfer boundary applies included).</summary>
    public static StatusCode StatusOf(Exception ex) => ex switch
    {
        RpcException rpc => rpc.StatusCode,
        OperationCanceledException => StatusCode.Cancelled,
        _ => TransferErrorInterceptor.Translate(ex)?.StatusCode ?? StatusCode.Unknown,
    };

    /// <summary>The hub's own outage, as opposed to a refusal of what the sender asked.</summary>
    public static bool IsOutage(Exception ex) => IsStorageFull(ex) || IsDatabaseDown(ex) || StatusOf(ex) is StatusCode.Internal or StatusCode.Unknown;

    /// <summary>Storage full, before or after the transfer boundary translated it.</summary>
    public static bool IsStorageFull(Exception ex) =>
        StorageFull.Is(ex) || ex is RpcException { StatusCode: StatusCode.ResourceExhausted } rpc && rpc.Status.Detail == StorageFull.Message;

    /// <summary>The database unreachable, before or after translation (the hub answers UNAVAILABLE for nothing else).</summary>
    public static bool IsDatabaseDown(Exception ex) => DbErrors.IsUnavailable(ex) || ex is RpcException { StatusCode: StatusCode.Unavailable };

    /// <summary>The outcome label of a declaration that ended with <paramref name="ex"/>.</summary>
    public static string Failed(Exception ex) => StatusOf(ex) == StatusCode.Cancelled ? Cancelled : IsOutage(ex) ? Error : Refused;

    /// <summary><c>DATA_LOSS</c> → <c>data_loss</c>: a status code name as a label value.</summary>
    public static string Reason(StatusCode code) => code switch
    {
        StatusCode.OK => "ok",
        StatusCode.Cancelled => "cancelled",
        StatusCode.InvalidArgument => "invalid_argument",
        StatusCode.DeadlineExceeded => "deadline_exceeded",
        StatusCode.NotFound => "not_found",
        StatusCode.AlreadyExists => "already_exists",
        StatusCode.PermissionDenied => "permission_denied",
        StatusCode.ResourceExhausted => "resource_exhausted",
        StatusCode.FailedPrecondition => "failed_precondition",
        StatusCode.Aborted => "aborted",
        StatusCode.OutOfRange => "out_of_range",
        StatusCode.Unimplemented => "unimplemented",
        StatusCode.Internal => "internal",
        StatusCode.Unavailable => "unavailable",
        StatusCode.DataLoss => "data_loss",
        StatusCode.Unauthenticated => "unauthenticated",
        _ => "unknown",
    };
}
