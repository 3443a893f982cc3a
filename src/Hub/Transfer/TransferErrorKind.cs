namespace LxAnnotate.Hub.Transfer;

/// <summary>Why the transfer receiver refused a call; the gRPC adapter maps each to one status code.</summary>
public enum TransferErrorKind
{
    NotFound,
    InvalidArgument,
    TooLarge,
    PermissionDenied,

    /// <summary>
    /// The sender's certificate was revoked or its node deactivated while its call ran: the answer a new call of that
    /// sender gets, so it retries (with a renewed certificate) rather than give the artifact up.
    /// </summary>
    Unauthenticated,
    WrongOffset,
    Busy,
    DataLoss,
    NotOpen,

    /// <summary>The hub's configuration does not allow it (an envelope required, no recipient key for it).</summary>
    PreconditionFailed,
}
