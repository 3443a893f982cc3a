using System.Buffers.Binary;
using System.Buffers;
using System.Security.Cryptography;

namespace LxAnnotate.Hub.Storage.Encryption;

/// <summary>
/// Write-only stream that encrypts into LXENC01 on the fly. At most one chunk of plaintext and one of
/// ciphertext are held in memory. Every full chunk becomes a record as soon as it fills; the rest becomes
/// the short last record in <see cref="CompleteAsync"/>, which must be called: disposing without it leaves
/// an incomplete file (the caller deletes it), exactly what an aborted write should leave.
/// </summary>
public sealed class LxEnc01WriteStream : Stream
{
    private readonly Stream destination;
    private readonly bool leaveOpen;
    private readonly byte[] headerBytes;
    private readonly byte[] noncePrefix;
    private readonly AesGcm aes;
    private readonly int chunkSize;
    private readonly byte[] plain;
    private readonly byte[] record;
    private int filled;
    private uint counter;
    private long plaintextLength;
    private bool completed;
    private bool disposed;

    private LxEnc01WriteStream(Stream destination, bool leaveOpen, LxEnc01Header header, byte[] headerBytes, byte[] dek, uint counter = 0)
    {
        this.counter = counter;
        plaintextLength = (long)counter * header.ChunkSize;
        this.destination = destination;
        this.leaveOpen = leaveOpen;
        this.headerBytes = headerBytes;
        noncePrefix = header.NoncePrefix.ToArray();
        chunkSize = header.ChunkSize;
        aes = new AesGcm(dek, LxEnc01.TagSize);
        CryptographicOperations.ZeroMemory(dek);
        plain = ArrayPool<byte>.Shared.Rent(chunkSize);
        record = ArrayPool<byte>.Shared.Rent(LxEnc01.LengthPrefixSize + chunkSize + LxEnc01.TagSize);
    }

    /// <summary>Plaintext bytes written so far.</summary>
    public long PlaintextLength => plaintextLength;

    /// <summary>Plaintext bytes already sealed into records and handed to the destination; the rest waits in memory for its chunk to fill.</summary>
    public long SealedLength => plaintextLength - filled;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => !disposed && !completed;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => plaintextLength;
        set => throw new NotSupportedException();
    }

    /// <summary>Writes the magic and a new header (fresh data key wrapped under the ring's current key) and returns the stream.</summary>
    public static async Task<LxEnc01WriteStream> CreateAsync(
        Stream destination, MasterKeyRing keyRing, int chunkSize = LxEnc01.DefaultChunkSize, bool leaveOpen = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(keyRing);
        LxEnc01.ValidateChunkSize(chunkSize);

        var (dek, wrapped, wrapNonce) = keyRing.CreateDataKey();
        var header = new LxEnc01Header(chunkSize, wrapped, wrapNonce, RandomNumberGenerator.GetBytes(LxEnc01.NoncePrefixSize));
        var headerBytes = header.Encode();
        var preamble = new byte[LxEnc01.PreambleSize];
        LxEnc01.Magic.CopyTo(preamble);
        BinaryPrimitives.WriteUInt32BigEndian(preamble.AsSpan(8), (uint)headerBytes.Length);
        await destination.WriteAsync(preamble, cancellationToken);
        await destination.WriteAsync(headerBytes, cancellationToken);
        return new LxEnc01WriteStream(destination, leaveOpen, header, headerBytes, dek);
    }

    /// <summary>
    /// Continues a file that holds <paramref name="fullRecords"/> full records under <paramref name="headerBytes"/>
    /// (the header exactly as it is in the file: it is every record's additional data); the destination is
    /// positioned after the last record. The next record is sealed with the next counter.
    /// </summary>
    internal static LxEnc01WriteStream Continue(Stream destination, MasterKeyRing keyRing, byte[] headerBytes, long fullRecords, bool leaveOpen)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(keyRing);
        if (fullRecords is < 0 or >= uint.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(fullRecords), fullRecords, "An LXENC01 file holds fewer than 2^32 records.");
        }

        var header = LxEnc01Header.Parse(headerBytes);
        var (dek, _) = keyRing.Unwrap(header);
        return new LxEnc01WriteStream(destination, leaveOpen, header, headerBytes, dek, (uint)fullRecords);
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ThrowIfNotWritable();
        while (!buffer.IsEmpty)
        {
            var take = Math.Min(buffer.Length, chunkSize - filled);
            buffer[..take].CopyTo(plain.AsSpan(filled));
            filled += take;
            plaintextLength += take;
            buffer = buffer[take..];
            if (filled == chunkSize)
            {
                destination.Write(record, 0, SealChunk());
            }
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ThrowIfNotWritable();
        while (!buffer.IsEmpty)
        {
            var take = Math.Min(buffer.Length, chunkSize - filled);
            buffer[..take].CopyTo(plain.AsMemory(filled));
            filled += take;
            plaintextLength += take;
            buffer = buffer[take..];
            if (filled == chunkSize)
            {
                await destination.WriteAsync(record.AsMemory(0, SealChunk()), cancellationToken);
            }
        }
    }

    /// <summary>Writes the short last record (if any plaintext is pending) and flushes; an empty plaintext has no records.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfNotWritable();
        if (filled > 0)
        {
            await destination.WriteAsync(record.AsMemory(0, SealChunk()), cancellationToken);
        }

        completed = true;
        await destination.FlushAsync(cancellationToken);
    }

    public override void Flush()
    {
        // Records are written as chunks fill; a partial chunk cannot be flushed without ending the file.
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !disposed)
        {
            Release();
            if (!leaveOpen)
            {
                destination.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        if (!disposed)
        {
            Release();
            if (!leaveOpen)
            {
                await destination.DisposeAsync();
            }
        }

        await base.DisposeAsync();
    }

    /// <summary>Encrypts the pending plaintext into <see cref="record"/> and returns the record length.</summary>
    private int SealChunk()
    {
        if (counter == uint.MaxValue)
        {
            throw new EncryptedStorageException("The plaintext exceeds the 2^32 chunks an LXENC01 file can hold.");
        }

        var ciphertextLength = filled + LxEnc01.TagSize;
        BinaryPrimitives.WriteUInt32BigEndian(record, (uint)ciphertextLength);
        Span<byte> nonce = stackalloc byte[LxEnc01.WrapNonceSize];
        LxEnc01.ChunkNonce(noncePrefix, counter, nonce);
        aes.Encrypt(
            nonce,
            plain.AsSpan(0, filled),
            record.AsSpan(LxEnc01.LengthPrefixSize, filled),
            record.AsSpan(LxEnc01.LengthPrefixSize + filled, LxEnc01.TagSize),
            headerBytes);
        counter++;
        var length = LxEnc01.LengthPrefixSize + ciphertextLength;
        filled = 0;
        return length;
    }

    private void Release()
    {
        disposed = true;
        aes.Dispose();
        CryptographicOperations.ZeroMemory(plain.AsSpan(0, chunkSize));
        ArrayPool<byte>.Shared.Return(plain);
        ArrayPool<byte>.Shared.Return(record);
    }

    private void ThrowIfNotWritable()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (completed)
        {
            throw new InvalidOperationException("The LXENC01 file is already complete.");
        }
    }
}
