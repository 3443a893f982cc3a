namespace LxAnnotate.Hub.Transfer.Upload;

/// <summary>
/// The chunks of one Upload call, read so that a sender who goes quiet is still asked for its standing: while no
/// chunk arrives, <c>stillAuthorized</c> is asked every <see cref="TransferOptions.StandingCheckInterval"/>. A
/// chunk resets the wait, because the receiver asks before writing it anyway; a busy stream costs no extra query.
/// </summary>
internal sealed class WatchedChunks : IAsyncDisposable
{
    private readonly Func<CancellationToken, Task<bool>>? stillAuthorized;
    private readonly TimeSpan interval;
    private readonly TimeProvider time;
    private readonly CancellationToken cancellationToken;
    private readonly CancellationTokenSource reading;
    private readonly IAsyncEnumerator<ReadOnlyMemory<byte>> enumerator;
    private Task<bool>? pending;

    public WatchedChunks(
        IAsyncEnumerable<ReadOnlyMemory<byte>> chunks,
        Func<CancellationToken, Task<bool>>? stillAuthorized,
        TimeSpan interval,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        this.stillAuthorized = stillAuthorized;
        this.interval = interval;
        this.time = time;
        this.cancellationToken = cancellationToken;
        reading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        enumerator = chunks.GetAsyncEnumerator(reading.Token);
    }

    public ReadOnlyMemory<byte> Current => enumerator.Current;

    /// <summary>Waits for the next chunk, the end of the stream, or a check that finds the sender no longer authorized.</summary>
    public async Task<ChunkWait> NextAsync()
    {
        var next = enumerator.MoveNextAsync();
        if (next.IsCompleted || stillAuthorized is null)
        {
            return await next ? ChunkWait.Chunk : ChunkWait.End;
        }

        pending = next.AsTask();
        while (true)
        {
            using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var tick = Task.Delay(interval, time, idle.Token);
            if (await Task.WhenAny(pending, tick) == pending)
            {
                await idle.CancelAsync();
                var more = await pending;
                pending = null;
                return more ? ChunkWait.Chunk : ChunkWait.End;
            }

            await tick;
            if (!await stillAuthorized(cancellationToken))
            {
                return ChunkWait.NotAuthorized;
            }
        }
    }

    /// <summary>
    /// A read still waiting (the call is being cut off) is cancelled and left to finish on its own: the stream
    /// may not be disposed under it, and the call must end now, not when the sender writes again.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (pending is { IsCompleted: false } waiting)
        {
            await reading.CancelAsync();
            _ = ReleaseAfterAsync(waiting);
            return;
        }

        await enumerator.DisposeAsync();
        reading.Dispose();
    }

    private async Task ReleaseAfterAsync(Task waiting)
    {
        try
        {
            await waiting;
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or InvalidOperationException or Grpc.Core.RpcException)
        {
            // The call has already ended; how its last read ended tells nothing more.
        }

        await enumerator.DisposeAsync();
        reading.Dispose();
    }
}
