using System.Buffers;
using System.Security.Cryptography;
using LxAnnotate.Hub.Storage;

namespace LxAnnotate.Hub.Transfer.PartialFiles;

/// <summary>
/// The partial file of one transfer, held for one Upload call: resumed at the durable offset, appended to
/// contiguously and hashed on the way. A checkpoint's fsync runs in the background while the next bytes arrive;
/// the offset it covers is handed on for recording only once that fsync has returned, never before.
/// </summary>
internal sealed partial class PartialFile : IAsyncDisposable
{
    private readonly FileStream file;
    private readonly ILogger logger;
    private readonly IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private Task syncing = Task.CompletedTask;
    private long syncingPosition;

    private PartialFile(FileStream file, ILogger logger)
    {
        this.file = file;
        this.logger = logger;
    }

    /// <summary>The end of the bytes written so far (not all of them durable yet).</summary>
    public long Position { get; private set; }

    public long Length => file.Length;

    /// <summary>Opens (or creates) the file exclusively; an <see cref="IOException"/> means another call holds it.</summary>
    public static PartialFile Open(string path, ILogger logger) => new(
        new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.OpenOrCreate,
            Access = FileAccess.ReadWrite,
            Share = FileShare.None,
            Options = FileOptions.Asynchronous,
            BufferSize = 0,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead,
        }),
        logger);

    /// <summary>
    /// Continues at <paramref name="durableOffset"/>: bytes past it were never acknowledged (a crash between a write
    /// and its checkpoint) and are dropped; the bytes under it are hashed again. False when the file is shorter.
    /// </summary>
    public async Task<bool> ResumeAsync(long durableOffset, CancellationToken cancellationToken)
    {
        if (file.Length < durableOffset)
        {
            return false;
        }

        if (file.Length != durableOffset)
        {
            file.SetLength(durableOffset);
        }

        await RehashAsync(durableOffset, cancellationToken);
        file.Position = durableOffset;
        Position = durableOffset;
        syncingPosition = durableOffset;
        return true;
    }

    public async Task AppendAsync(ReadOnlyMemory<byte> chunk, CancellationToken cancellationToken)
    {
        // One pass over the chunk: hashed while the write runs (the chunk stays untouched until both end).
        var write = RandomAccess.WriteAsync(file.SafeFileHandle, chunk, Position, cancellationToken);
        hash.AppendData(chunk.Span);
        await write;
        Position += chunk.Length;
    }

    /// <summary>
    /// When <paramref name="checkpointBytes"/> have been written since the last checkpoint: waits for the previous
    /// fsync, records the offset it made durable, and starts the next fsync in the background.
    /// </summary>
    public async Task CheckpointIfDueAsync(long checkpointBytes, Func<long, Task> recordDurable)
    {
        if (Position - syncingPosition < checkpointBytes)
        {
            return;
        }

        await syncing;
        await recordDurable(syncingPosition);
        syncingPosition = Position;
        syncing = Task.Run(() => SyncToDisk(file), CancellationToken.None);
    }

    /// <summary>Waits for the background fsync; its error leaves as it is.</summary>
    public Task FinishSyncAsync() => syncing;

    /// <summary>Waits for a background fsync before the file is synced, cut or closed; its error does not hide the caller's.</summary>
    public async Task SettleAsync()
    {
        try
        {
            await syncing;
        }
        catch (IOException ex)
        {
            LogBackgroundSyncFailed(logger, ex.Message);
        }
    }

    /// <summary>fsync of every byte written so far, before their offset may be recorded.</summary>
    public void SyncToDisk() => SyncToDisk(file);

    /// <summary>The SHA-256 of the whole file, from its first byte to <see cref="Position"/>.</summary>
    public string Sha256() => Convert.ToHexStringLower(hash.GetHashAndReset());

    /// <summary>fsync: the file is unbuffered, so writes went straight to the handle.</summary>
    public static void SyncToDisk(FileStream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
#pragma warning disable CA1849 // fsync has no asynchronous form.
        stream.Flush(flushToDisk: true);
#pragma warning restore CA1849
    }

    public async ValueTask DisposeAsync()
    {
        hash.Dispose();
        await file.DisposeAsync();
    }

    private async Task RehashAsync(long length, CancellationToken cancellationToken)
    {
        if (length == 0)
        {
            return;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(ContentStore.BufferSize);
        try
        {
            file.Position = 0;
            var remaining = length;
            while (remaining > 0)
            {
                var read = await file.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), cancellationToken);
                if (read == 0)
                {
                    throw new EndOfStreamException("The partial file ended early.");
                }

                hash.AppendData(buffer, 0, read);
                remaining -= read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    [LoggerMessage(EventId = 3010, Level = LogLevel.Warning, Message = "A checkpoint fsync failed: {Error}; the offset stays at the previous checkpoint")]
    private static partial void LogBackgroundSyncFailed(ILogger logger, string error);
}
