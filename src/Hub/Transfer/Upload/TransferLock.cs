using LxAnnotate.Hub.Coordination;

namespace LxAnnotate.Hub.Transfer.Upload;

/// <summary>
/// The exclusive lock of one transfer across all replicas: an Upload stream holds it from before it reads the
/// durable offset until its outcome is committed; the expiry sweep takes it before it expires a transfer, so it
/// never discards bytes a stream is writing.
/// </summary>
internal sealed class TransferLock(DatabaseLocks locks)
{
    public static TransferException Busy(Guid transferId) =>
        new(TransferErrorKind.Busy, $"Transfer {transferId} is being received by another call.");

    /// <summary>The lock, or the same refusal a second stream always got (<see cref="TransferErrorKind.Busy"/>).</summary>
    public async Task<IHeldLock> AcquireAsync(Guid transferId, CancellationToken cancellationToken) =>
        await TryAcquireAsync(transferId, cancellationToken) ?? throw Busy(transferId);

    public Task<IHeldLock?> TryAcquireAsync(Guid transferId, CancellationToken cancellationToken) =>
        locks.TryAcquireAsync(LockKeys.Transfer(transferId), "transfer", cancellationToken);
}
