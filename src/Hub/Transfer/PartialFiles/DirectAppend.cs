using System.Collections.Concurrent;
using LxAnnotate.Shared.Storage;
using Microsoft.Win32.SafeHandles;

namespace LxAnnotate.Hub.Transfer.PartialFiles;

/// <summary>
/// Appends to a plaintext partial file past the page cache (Linux <c>O_DIRECT</c>, on a second descriptor of the
/// same file). Received bytes are gathered into one of two aligned 512 KiB buffers; a full buffer is written while the
/// other fills, so the disk's time is not in the receive loop. The last, partly filled blocks are written padded, and the
/// file cut back to its length, only when every byte must be on the file (<see cref="WriteTailAsync"/>).
/// Copying into fresh page-cache pages was the hub's largest CPU cost per pushed GiB (docs/performance.md, "Partial
/// files past the page cache"), and a partial file's pages are never read back from the cache: the hash is taken as
/// the bytes arrive, and processing reads the artifact much later.
/// </summary>
/// <remarks>
/// The buffers (1 MiB a stream) are kept for reuse, for at most <see cref="MaxStreams"/> streams at once (one per core): beyond that,
/// and where the file system refuses <c>O_DIRECT</c> (at the open, or at the first aligned write),
/// <see cref="TryOpenAsync"/> returns null and the caller writes through its buffered descriptor instead. So the
/// hub's memory does not grow with the number of streams (32 concurrent pushes: docs/performance.md).
/// </remarks>
internal sealed class DirectAppend : IAsyncDisposable
{
    /// <summary>File offsets, lengths and buffer addresses of direct writes are multiples of this (the largest logical block size in use).</summary>
    public const int Alignment = 4096;

    /// <summary>
    /// Bytes per direct write. Overlapped with the next buffer's filling, 512 KiB writes moved a pushed GiB as fast as
    /// 1 MiB ones, with 1 MiB less memory a stream (docs/performance.md, "Partial files past the page cache").
    /// </summary>
    public const int Capacity = 512 * 1024;

    /// <summary>
    /// Streams that write past the page cache at once: one per core. More streams than cores are bound by the CPU
    /// of TLS and hashing anyway, and this keeps the buffers' memory at 1 MiB a core, however many streams arrive.
    /// </summary>
    public static int MaxStreams { get; } = Environment.ProcessorCount;

    private static readonly ConcurrentBag<byte[]> FreeBuffers = [];
    private static int buffersMade;

    private const int InvalidArgument = 22; // EINVAL: the file system does not take O_DIRECT (or not this alignment)

    private readonly SafeFileHandle handle;
    private readonly byte[] backing;
    private readonly int start;
    private int current;
    private long bufferOffset;
    private int filled;
    private Task writing = Task.CompletedTask;

    /// <summary>Bytes of the filling buffer already on the file (its head at a resume, or a tail written since).</summary>
    private int onFile;

    private DirectAppend(SafeFileHandle handle, byte[] backing, long offset)
    {
        this.handle = handle;
        this.backing = backing;
        start = AlignedStart(backing);
        bufferOffset = offset & ~(long)(Alignment - 1);
        filled = (int)(offset - bufferOffset);
        onFile = filled;
    }

    private Memory<byte> Buffer => backing.AsMemory(start + (current * Capacity), Capacity);

    /// <summary>
    /// A direct descriptor of <paramref name="path"/> appending at <paramref name="offset"/> (the file's length), or
    /// null when this platform or the file system offers no direct writes. The block that offset falls into is read
    /// back through <paramref name="file"/> and written again directly, which is also the probe: a file system that
    /// takes the open but not the alignment refuses that write with EINVAL.
    /// </summary>
    public static async Task<DirectAppend?> TryOpenAsync(string path, long offset, FileStream file, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (RentBuffers() is not { } backing)
        {
            return null;
        }

        if (NativeFileSystem.OpenForDirectWrites(path) is not { } handle)
        {
            FreeBuffers.Add(backing);
            return null;
        }

        var append = new DirectAppend(handle, backing, offset);
        try
        {
            var head = append.Buffer[..append.filled];
            while (!head.IsEmpty)
            {
                var read = await RandomAccess.ReadAsync(file.SafeFileHandle, head, offset - head.Length, cancellationToken);
                if (read == 0)
                {
                    throw new EndOfStreamException("The partial file ended before its resume offset.");
                }

                head = head[read..];
            }

            if (append.filled == 0)
            {
                // Nothing to carry: a block of zeros past the end, taken back at once.
                append.Buffer.Span[..Alignment].Clear();
                await RandomAccess.WriteAsync(append.handle, append.Buffer[..Alignment], offset, cancellationToken);
                file.SetLength(offset);
            }
            else
            {
                append.onFile = 0;
                await append.WriteTailAsync(file);
            }

            return append;
        }
        catch (IOException ex) when (ex.HResult == InvalidArgument)
        {
            await append.DisposeAsync();
            file.SetLength(offset);
            return null;
        }
        catch
        {
            await append.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Gathers <paramref name="bytes"/>; a buffer that fills is written while the other one fills. The previous
    /// write is awaited first, so its failure surfaces here.
    /// </summary>
    public async ValueTask AppendAsync(ReadOnlyMemory<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            var take = Math.Min(bytes.Length, Capacity - filled);
            bytes.Span[..take].CopyTo(Buffer.Span[filled..]);
            filled += take;
            bytes = bytes[take..];
            if (filled == Capacity)
            {
                await writing;

                // Not cancellable: once started, a write runs to its end (a few milliseconds), so the bytes of a
                // cancelled call can still be put on the file and recorded.
                writing = RandomAccess.WriteAsync(handle, Buffer, bufferOffset, CancellationToken.None).AsTask();
                bufferOffset += Capacity;
                filled = 0;
                onFile = 0;
                current = 1 - current;
            }
        }
    }

    /// <summary>
    /// Puts every gathered byte on the file: the write under way finished, the partly filled blocks written padded
    /// with zeros, then the file cut to its real length through <paramref name="file"/>. The buffer keeps those
    /// bytes, so later bytes of the same block are written together with them.
    /// </summary>
    public async Task WriteTailAsync(FileStream file)
    {
        ArgumentNullException.ThrowIfNull(file);
        await writing;
        if (onFile == filled)
        {
            return;
        }

        var padded = (filled + Alignment - 1) & ~(Alignment - 1);
        Buffer.Span[filled..padded].Clear();
        await RandomAccess.WriteAsync(handle, Buffer[..padded], bufferOffset, CancellationToken.None);
        file.SetLength(bufferOffset + filled);
        onFile = filled;
    }

    /// <summary>Waits for a write under way (its error is the caller's, or was reported already), closes the descriptor and gives the buffers back.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await writing;
        }
        catch (IOException)
        {
        }
        finally
        {
            // The write has ended either way: its buffer is free.
            handle.Dispose();
            FreeBuffers.Add(backing);
        }
    }

    /// <summary>
    /// The two buffers of a stream, one pinned array (the aligned windows inside it stay where the kernel was told
    /// they are): a kept one, or a new one while fewer than <see cref="MaxStreams"/> exist; else null.
    /// </summary>
    private static byte[]? RentBuffers()
    {
        if (FreeBuffers.TryTake(out var kept))
        {
            return kept;
        }

        if (Interlocked.Increment(ref buffersMade) <= MaxStreams)
        {
            return GC.AllocateUninitializedArray<byte>((2 * Capacity) + Alignment, pinned: true);
        }

        Interlocked.Decrement(ref buffersMade);
        return null;
    }

    private static int AlignedStart(byte[] array)
    {
        unsafe
        {
            fixed (byte* first = array)
            {
                var address = (long)first;
                return (int)(((address + Alignment - 1) & ~(long)(Alignment - 1)) - address);
            }
        }
    }
}
