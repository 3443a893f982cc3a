using System.Buffers;
using System.Security.Cryptography;
using LxAnnotate.Hub.Storage;
using LxAnnotate.Hub.Storage.Encryption;

namespace LxAnnotate.Hub.Transfer.PartialFiles;

/// <summary>
/// The partial file of one transfer, held for one Upload call: resumed at the durable offset, appended to
/// contiguously and hashed on the way. The bytes are kept as received, or, for an encrypted-class transfer, sealed
/// into LXENC01 records as they arrive (<see cref="EncryptedPartial"/>): the plaintext never reaches the disk.
/// A checkpoint's fsync runs in the background while the next bytes arrive; the offset it covers is handed on for
/// recording only once that fsync has returned, never before. Plaintext bytes bypass the page cache where the file
/// system allows it (<see cref="DirectAppend"/>).
/// </summary>
internal sealed partial class PartialFile : IAsyncDisposable
{
    private readonly FileStream file;
    private readonly MasterKeyRing? encryptWith;
    private readonly bool bypassPageCache;
    private readonly ILogger logger;
    /// <summary>Bytes hashed and written together: well within a core's L2 cache.</summary>
    private const int CacheSlice = 128 * 1024;

    private readonly IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private LxEnc01WriteStream? encryptor;
    private DirectAppend? direct;
    private Task syncing = Task.CompletedTask;
    private long syncingPosition;

    private PartialFile(FileStream file, MasterKeyRing? encryptWith, bool bypassPageCache, ILogger logger)
    {
        this.file = file;
        this.encryptWith = encryptWith;
        this.bypassPageCache = bypassPageCache;
        this.logger = logger;
    }

    /// <summary>The end of the bytes received so far (not all of them durable yet).</summary>
    public long Position { get; private set; }

    /// <summary>The offset that <see cref="SyncToDiskAsync()"/> makes durable: every byte received, or the sealed records of an encrypted transfer.</summary>
    public long SealedPosition => encryptWith is null || encryptor is null ? Position : encryptor.SealedLength;

    /// <summary>Whether plaintext bytes are written past the page cache (<see cref="DirectAppend"/>).</summary>
    public bool WritesDirect => direct is not null;

    public string Path => file.Name;

    /// <summary>Whether the file is LXENC01 ciphertext of the received bytes.</summary>
    public bool Encrypted => encryptWith is not null;

    /// <summary>
    /// Opens (or creates) the file exclusively; an <see cref="IOException"/> means another call holds it.
    /// With <paramref name="encryptWith"/>, the received bytes are kept as LXENC01 under that key ring; without it,
    /// they are written past the page cache unless <paramref name="bypassPageCache"/> is false or the file system
    /// does not allow it.
    /// </summary>
    public static PartialFile Open(string path, MasterKeyRing? encryptWith, ILogger logger, bool bypassPageCache = true) => new(
        new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.OpenOrCreate,
            Access = FileAccess.ReadWrite,
            Share = FileShare.None,
            Options = FileOptions.Asynchronous,
            BufferSize = 0,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead,
        }),
        encryptWith,
        bypassPageCache,
        logger);

    /// <summary>
    /// Continues at <paramref name="durableOffset"/>: bytes past it were never acknowledged (a crash between a write
    /// and its checkpoint) and are dropped; the bytes under it are hashed again. False when the file is shorter.
    /// </summary>
    public async Task<bool> ResumeAsync(long durableOffset, CancellationToken cancellationToken)
    {
        if (encryptWith is not null)
        {
            if (durableOffset == 0)
            {
                encryptor = await EncryptedPartial.StartAsync(file, encryptWith, cancellationToken);
            }
            else
            {
                var (resumed, writer) = await EncryptedPartial.ResumeAsync(file, encryptWith, durableOffset, hash, cancellationToken);
                if (!resumed)
                {
                    return false;
                }

                encryptor = writer;
            }
        }
        else if (!await ResumePlaintextAsync(durableOffset, cancellationToken))
        {
            return false;
        }

        Position = durableOffset;
        syncingPosition = durableOffset;
        return true;
    }

    public async Task AppendAsync(ReadOnlyMemory<byte> chunk, CancellationToken cancellationToken)
    {
        if (encryptWith is not null)
        {
            hash.AppendData(chunk.Span);
            await (encryptor ?? throw new InvalidOperationException("The encrypted partial file is already complete.")).WriteAsync(chunk, cancellationToken);
            Position += chunk.Length;
            return;
        }

        // Slice by slice, hashed and then copied on (into the direct-write buffer, or the page cache) while the
        // slice is still in the CPU cache: a whole 1 MiB chunk no longer is by then (docs/performance.md, "Where the
        // push's CPU goes").
        for (var offset = 0; offset < chunk.Length; offset += CacheSlice)
        {
            var slice = chunk.Slice(offset, Math.Min(CacheSlice, chunk.Length - offset));
            hash.AppendData(slice.Span);
            if (direct is not null)
            {
                await direct.AppendAsync(slice);
            }
            else
            {
                await RandomAccess.WriteAsync(file.SafeFileHandle, slice, Position + offset, cancellationToken);
            }
        }

        Position += chunk.Length;
    }

    /// <summary>All declared bytes arrived: an encrypted transfer's last (short) record is sealed, so every byte can be made durable.</summary>
    public async Task SealAsync(CancellationToken cancellationToken)
    {
        if (encryptor is { CanWrite: true })
        {
            await encryptor.CompleteAsync(cancellationToken);
        }
    }

    /// <summary>
    /// When half of <paramref name="checkpointBytes"/> has been sealed since the last fsync started: waits for that
    /// fsync, records the offset it made durable, and starts the next fsync in the background.
    /// </summary>
    /// <remarks>
    /// The fsync runs while the next bytes arrive, so at any moment up to two fsync intervals are received but not
    /// yet recorded. Starting one every half checkpoint keeps that at most <paramref name="checkpointBytes"/> (plus
    /// the chunk that crosses the mark): what a sender re-sends after this process dies.
    /// </remarks>
    public async Task CheckpointIfDueAsync(long checkpointBytes, Func<long, Task> recordDurable)
    {
        var sealedPosition = SealedPosition;
        if (sealedPosition - syncingPosition < Math.Max(1, checkpointBytes / 2))
        {
            return;
        }

        await syncing;
        await recordDurable(syncingPosition);

        // Bytes still gathered for a direct write (a chunk that did not end on a buffer's boundary) go on the file before the fsync.
        if (direct is not null)
        {
            await direct.WriteTailAsync(file);
        }

        syncingPosition = sealedPosition;
        syncing = Task.Run(() => Fsync(file), CancellationToken.None);
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

    /// <summary>fsync of every byte received so far (bytes gathered for a direct write are written first), before their offset may be recorded.</summary>
    /// <returns>The offset now durable (<see cref="SealedPosition"/>).</returns>
    public async Task<long> SyncToDiskAsync()
    {
        var sealedPosition = SealedPosition;
        if (direct is not null)
        {
            await direct.WriteTailAsync(file);
        }

        Fsync(file);
        return sealedPosition;
    }

    /// <summary>The SHA-256 of the received bytes, from the first to <see cref="Position"/>.</summary>
    public string Sha256() => Convert.ToHexStringLower(hash.GetHashAndReset());

    /// <summary>fsync: the file is unbuffered, so writes went straight to the handle.</summary>
    public static void Fsync(FileStream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
#pragma warning disable CA1849 // fsync has no asynchronous form.
        stream.Flush(flushToDisk: true);
#pragma warning restore CA1849
    }

    public async ValueTask DisposeAsync()
    {
        hash.Dispose();
        if (encryptor is not null)
        {
            // An unsealed chunk's plaintext is wiped with the writer; the file keeps only sealed records.
            await encryptor.DisposeAsync();
        }

        if (direct is not null)
        {
            await direct.DisposeAsync();
        }

        await file.DisposeAsync();
    }

    private async Task<bool> ResumePlaintextAsync(long durableOffset, CancellationToken cancellationToken)
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
        if (bypassPageCache)
        {
            direct = await DirectAppend.TryOpenAsync(Path, durableOffset, file, cancellationToken);
        }

        return true;
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
