namespace LxAnnotate.Hub.Domain;

public enum TransferState
{
    /// <summary>Accepting bytes; <see cref="TransferSession.ReceivedBytes"/> is the durable offset.</summary>
    Open,

    /// <summary>Verified and handed to the ingest core; <see cref="TransferSession.UploadJobId"/> is set.</summary>
    Completed,

    /// <summary>Size or SHA-256 did not match; the partial bytes were discarded.</summary>
    Failed,

    /// <summary>Abandoned longer than the expiry time; the partial bytes were removed.</summary>
    Expired,
}
