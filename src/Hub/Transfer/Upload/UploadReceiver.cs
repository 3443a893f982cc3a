using LxAnnotate.Hub.Coordination;
using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Ingest;
using LxAnnotate.Hub.Transfer.PartialFiles;
using LxAnnotate.Hub.Transfer.Sessions;

namespace LxAnnotate.Hub.Transfer.Upload;

/// <summary>
/// One Upload call of an open transfer: its bytes are appended at the durable offset to the partial file, with
/// checkpoints while they arrive, under the transfer's lock (<see cref="TransferLock"/>, then the partial file's
/// own); on any interruption the bytes received so far are made durable and their
/// offset recorded before the exception leaves. At the declared size, <see cref="UploadCompletion"/> takes over.
/// </summary>
internal sealed partial class UploadReceiver(
    TransferSessions sessions,
    PartialFileStore partials,
    UploadCompletion completion,
    TransferLock transferLock,
    ReplicaIdentity replica,
    TransferOptions options,
    TimeProvider time,
    ILogger<UploadReceiver> logger)
{
    /// <param name="stillAuthorized">
    /// Given the transfer's lock (whose database session it may query) and asked before each chunk is written, and
    /// while the sender is idle (see <see cref="WatchedChunks"/>); false
    /// (a revoked certificate, a deactivated node) ends the call with <see cref="TransferErrorKind.Unauthenticated"/>,
    /// keeping the bytes received so far durable and releasing the partial file.
    /// </param>
    /// <param name="trailer">Filled by <paramref name="chunks"/> when the call ends with the sender's trailer.</param>
    public async Task<UploadOutcome> ReceiveAsync(
        Guid transferId,
        long offset,
        CallerIdentity caller,
        IAsyncEnumerable<ReadOnlyMemory<byte>> chunks,
        CancellationToken cancellationToken,
        Func<IHeldLock, CancellationToken, Task<bool>>? stillAuthorized = null,
        SenderTrailer? trailer = null)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(chunks);

        var session = await sessions.FindOwnedAsync(transferId, caller, cancellationToken);

        // Held until the outcome is committed; the offset is read again under it, as another replica may have moved it.
        await using var held = await transferLock.AcquireAsync(session.Id, cancellationToken);
        await sessions.ReloadAsync(session, cancellationToken);
        if (session.State == TransferState.Completed && session.UploadJobId is { } doneJobId)
        {
            return await sessions.CompletedOutcomeAsync(doneJobId, cancellationToken);
        }

        if (session.State != TransferState.Open)
        {
            throw new TransferException(TransferErrorKind.NotOpen, $"Transfer {transferId} is {session.State.ToWire()}; offer the artifact again.");
        }

        if (offset != session.ReceivedBytes)
        {
            throw new TransferException(
                TransferErrorKind.WrongOffset,
                $"Upload must start at offset {session.ReceivedBytes}, not {offset}.",
                session.ReceivedBytes);
        }

        LogReceiving(logger, session.Id, replica.Id, session.ReceivedBytes);
        ReceivedPartial received;
        await using (var file = partials.OpenExclusive(session, logger))
        {
            await ResumeAsync(session, file, cancellationToken);
            await ReceiveChunksAsync(session, file, held, chunks, Bind(stillAuthorized, held), cancellationToken);
            await EndOfStreamAsync(session, file, held, cancellationToken);
            received = new ReceivedPartial(file.Path, file.Sha256(), file.Encrypted, trailer?.Sha256);
        }

        return await completion.CompleteAsync(session, caller, received, cancellationToken);
    }

    private static Func<CancellationToken, Task<bool>>? Bind(Func<IHeldLock, CancellationToken, Task<bool>>? stillAuthorized, IHeldLock held) =>
        stillAuthorized is null ? null : cancellationToken => stillAuthorized(held, cancellationToken);

    private async Task ResumeAsync(TransferSession session, PartialFile file, CancellationToken cancellationToken)
    {
        if (!await file.ResumeAsync(session.ReceivedBytes, cancellationToken))
        {
            await sessions.FailAsync(session, "The partial file is shorter than its recorded offset.");
            throw new TransferException(TransferErrorKind.DataLoss, "The hub lost partial bytes of this transfer; offer the artifact again.");
        }
    }

    private async Task ReceiveChunksAsync(
        TransferSession session,
        PartialFile file,
        IHeldLock held,
        IAsyncEnumerable<ReadOnlyMemory<byte>> chunks,
        Func<CancellationToken, Task<bool>>? stillAuthorized,
        CancellationToken cancellationToken)
    {
        var startedAt = file.Position;
        try
        {
            await using var watched = new WatchedChunks(chunks, stillAuthorized, options.StandingCheckInterval, time, cancellationToken);
            while (await watched.NextAsync() is var wait && wait != ChunkWait.End)
            {
                if (wait == ChunkWait.NotAuthorized)
                {
                    await CutOffAsync(session, file, held); // throws: the sender went quiet and lost its standing meanwhile
                }

                var chunk = watched.Current;
                await AcceptChunkAsync(session, file, held, chunk.Length, stillAuthorized, cancellationToken);
                await file.AppendAsync(chunk, cancellationToken);
                await file.CheckpointIfDueAsync(options.CheckpointBytes, durable => RecordOffsetAsync(session, held, durable));
            }

            await file.FinishSyncAsync();
        }
        catch (Exception ex) when (ex is not TransferException)
        {
            // The sender went away or the hub is stopping: keep what arrived, so it is never sent again.
            await file.SettleAsync();
            await CheckpointAsync(session, file, held);
            LogInterrupted(logger, session.Id, file.SealedPosition, session.SizeBytes, file.Position - startedAt);
            throw;
        }

        LogCallReceived(logger, session.Id, startedAt, file.Position - startedAt);
    }

    /// <summary>What a chunk must satisfy before it is written; a refusal settles the background fsync first.</summary>
    private async Task AcceptChunkAsync(
        TransferSession session, PartialFile file, IHeldLock held, int length, Func<CancellationToken, Task<bool>>? stillAuthorized, CancellationToken cancellationToken)
    {
        if (length > options.MaxChunkBytes)
        {
            await file.SettleAsync();
            throw new TransferException(TransferErrorKind.InvalidArgument, $"Chunk of {length} bytes exceeds the limit of {options.MaxChunkBytes}.");
        }

        if (stillAuthorized is not null && !await stillAuthorized(cancellationToken))
        {
            await CutOffAsync(session, file, held);
        }

        if (file.Position + length > session.SizeBytes)
        {
            await file.SettleAsync();
            await sessions.FailAsync(session, "More bytes than declared.");
            throw new TransferException(TransferErrorKind.DataLoss, $"Received more than the declared {session.SizeBytes} bytes; the partial data was discarded.");
        }
    }

    /// <summary>The sender is no longer authorized: what arrived is kept durable, so a valid sender resumes from it.</summary>
    private async Task CutOffAsync(TransferSession session, PartialFile file, IHeldLock held)
    {
        await file.SettleAsync();
        await CheckpointAsync(session, file, held);
        LogCutOff(logger, session.Id, file.SealedPosition);
        throw new TransferException(TransferErrorKind.Unauthenticated, "The sender's certificate or node is no longer authorized.");
    }

    /// <summary>The stream ended: its bytes are made durable, and a transfer short of its declared size is discarded.</summary>
    private async Task EndOfStreamAsync(TransferSession session, PartialFile file, IHeldLock held, CancellationToken cancellationToken)
    {
        if (file.Position == session.SizeBytes)
        {
            await file.SealAsync(cancellationToken);
        }

        await CheckpointAsync(session, file, held);
        if (file.Position != session.SizeBytes)
        {
            await sessions.FailAsync(session, $"Stream ended at {file.Position} of {session.SizeBytes} bytes.");
            throw new TransferException(TransferErrorKind.DataLoss, $"The stream ended after {file.Position} of the declared {session.SizeBytes} bytes; the partial data was discarded.");
        }
    }

    /// <summary>
    /// Makes what can be durable so and records its offset: every byte received, or for an encrypted-class transfer
    /// the sealed records (a chunk still filling is resent by the sender from the recorded offset).
    /// </summary>
    private async Task CheckpointAsync(TransferSession session, PartialFile file, IHeldLock held)
    {
        if (file.SealedPosition == session.ReceivedBytes)
        {
            return;
        }

        // The offset is recorded only after the bytes under it are on disk.
        var durable = await file.SyncToDiskAsync();
        await RecordOffsetAsync(session, held, durable);
    }

    /// <summary>
    /// Records an offset only while the stream still holds the transfer's lock: when its database session broke
    /// (a restart), another replica may already receive this transfer from the offset recorded last, which must
    /// stand. The sender resumes from it; at most one checkpoint of bytes is sent again.
    /// </summary>
    private async Task RecordOffsetAsync(TransferSession session, IHeldLock held, long durable)
    {
        if (!await held.StillHeldAsync(CancellationToken.None))
        {
            LogLockLost(logger, session.Id, replica.Id, session.ReceivedBytes);
            throw new TransferException(TransferErrorKind.Busy, $"Transfer {session.Id} lost its lock on this hub; resume from offset {session.ReceivedBytes}.");
        }

        await sessions.RecordOffsetAsync(session, durable);
    }

    [LoggerMessage(EventId = 3013, Level = LogLevel.Information, Message = "Transfer {TransferId} is received by replica {ReplicaId} from offset {Offset}")]
    private static partial void LogReceiving(ILogger logger, Guid transferId, string replicaId, long offset);

    [LoggerMessage(EventId = 3016, Level = LogLevel.Warning, Message = "Transfer {TransferId} lost its lock on replica {ReplicaId}; the stream ends, the recorded offset {Offset} stands")]
    private static partial void LogLockLost(ILogger logger, Guid transferId, string replicaId, long offset);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "Transfer {TransferId} interrupted at {Offset} of {SizeBytes} bytes ({ReceivedBytes} received in this call); offset recorded")]
    private static partial void LogInterrupted(ILogger logger, Guid transferId, long offset, long sizeBytes, long receivedBytes);

    [LoggerMessage(EventId = 3009, Level = LogLevel.Warning, Message = "Transfer {TransferId} cut off at {Offset} bytes: the sender is no longer authorized")]
    private static partial void LogCutOff(ILogger logger, Guid transferId, long offset);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Information, Message = "Transfer {TransferId} call from offset {StartOffset} received {ReceivedBytes} bytes")]
    private static partial void LogCallReceived(ILogger logger, Guid transferId, long startOffset, long receivedBytes);
}
