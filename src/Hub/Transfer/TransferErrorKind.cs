namespace LxAnnotate.Hub.Transfer;

/// <summary>Why the transfer receiver refused a call; the gRPC adapter maps each to one status code.</summary>
public enum TransferErrorKind
{
    NotFound,
    InvalidArgument,
    TooLarge,
    PermissionDenied,
    WrongOffset,
    Busy,
    DataLoss,
    NotOpen,

    /// <summary>The hub's configuration does not allow it (an envelope required, no recipient key for it).</summary>
    PreconditionFailed,
}
