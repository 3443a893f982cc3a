using System.Buffers.Binary;
using System.Buffers;
using System.Security.Cryptography;

namespace LxAnnotate.Hub.Storage.Encryption;

/// <summary>
/// Seekable, read-only plaintext view of an LXENC01 file. Opening reads the header, unwraps the data key
/// and derives the chunk geometry from the file length alone (every record but the last is
/// <c>4 + chunk_size + 16</c> bytes), so a byte-range read seeks straight to the chunks it needs and decrypts
/// only those. One chunk is held in memory at a time, and no byte of a chunk is handed out before its tag
/// verified.
/// </summary>
/// <remarks>
/// End-of-file rule (the original system's): a record shorter than a full one is the last; a file may also end
/// right after a full record. A file cut at a record boundary therefore still reads as a shorter valid file;
/// pass the expected plaintext length (recorded at write time) to detect that. Any other truncation, reordering,
/// extra record or tampered byte fails with <see cref="EncryptedStorageException"/>.
/// </remarks>
public sealed class LxEnc01ReadStream : Stream
{
    private readonly Stream source;
    private readonly bool leaveOpen;
    private readonly byte[] headerBytes;
    private readonly byte[] noncePrefix;
    private readonly AesGcm aes;
    private readonly long dataOffset;
    private readonly long fullRecordSize;
    private readonly byte[] chunk;
    private readonly byte[] record;
    private long cachedIndex = -1;
    private int cachedLength;
    private long position;
    private bool disposed;

    private LxEnc01ReadStream(Stream source, bool leaveOpen, LxEnc01Header header, byte[] headerBytes, byte[] dek, int keyIndex, long plaintextLength, long chunkCount)
    {
        this.source = source;
        this.leaveOpen = leaveOpen;
        this.headerBytes = headerBytes;
        Header = header;
        KeyIndex = keyIndex;
        Length = plaintextLength;
        ChunkCount = chunkCount;
        noncePrefix = header.NoncePrefix.ToArray();
        dataOffset = LxEnc01.PreambleSize + headerBytes.Length;
        fullRecordSize = LxEnc01.FullRecordSize(header.ChunkSize);
        aes = new AesGcm(dek, LxEnc01.TagSize);
        CryptographicOperations.ZeroMemory(dek);
        chunk = ArrayPool<byte>.Shared.Rent(header.ChunkSize);
        record = ArrayPool<byte>.Shared.Rent((int)fullRecordSize);
    }

    public LxEnc01Header Header { get; }

    /// <summary>The header exactly as read from the file (the additional data of every record).</summary>
    internal byte[] HeaderBytes => headerBytes;

    /// <summary>Which ring key opened the file: 0 the current key, 1 and up a retiring key (a re-encryption candidate).</summary>
    public int KeyIndex { get; }

    public long ChunkCount { get; }

    public override long Length { get; }

    public override bool CanRead => !disposed;

    public override bool CanSeek => !disposed;

    public override bool CanWrite => false;

    public override long Position
    {
        get => position;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            position = value;
        }
    }

    /// <summary>Opens an LXENC01 file read-only.</summary>
    /// <param name="expectedPlaintextLength">Plaintext length recorded when the file was written; a different geometry fails (detects a cut at a record boundary).</param>
    public static LxEnc01ReadStream OpenFile(string path, MasterKeyRing keyRing, long? expectedPlaintextLength = null)
    {
        var file = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.Open,
            Access = FileAccess.Read,
            Share = FileShare.Read,
            BufferSize = 0,
        });
        try
        {
            return Open(file, keyRing, leaveOpen: false, expectedPlaintextLength);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Opens an LXENC01 view over a readable, seekable stream positioned anywhere (offsets count from 0).</summary>
    /// <exception cref="EncryptedStorageException">Not an LXENC01 file, a malformed header or geometry, or no key opens it.</exception>
    public static LxEnc01ReadStream Open(Stream source, MasterKeyRing keyRing, bool leaveOpen = false, long? expectedPlaintextLength = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(keyRing);
        if (!source.CanRead || !source.CanSeek)
        {
            throw new ArgumentException("An LXENC01 reader needs a readable, seekable stream.", nameof(source));
        }

        source.Position = 0;
        Span<byte> preamble = stackalloc byte[LxEnc01.PreambleSize];
        if (ReadFully(source, preamble) < LxEnc01.Magic.Length || !LxEnc01.HasMagic(preamble))
        {
            throw new EncryptedStorageException("Not an LXENC01 encrypted file (magic missing).");
        }

        var headerLength = BinaryPrimitives.ReadUInt32BigEndian(preamble[8..]);
        if (headerLength is 0 or > LxEnc01.MaxHeaderSize)
        {
            throw new EncryptedStorageException("The LXENC01 header length is truncated or exceeds its size limit.");
        }

        var headerBytes = new byte[headerLength];
        if (ReadFully(source, headerBytes) != headerBytes.Length)
        {
            throw new EncryptedStorageException("The LXENC01 header is truncated.");
        }

        var header = LxEnc01Header.Parse(headerBytes);
        var (plaintextLength, chunkCount) = Geometry(source, header, LxEnc01.PreambleSize + headerBytes.Length);
        if (expectedPlaintextLength is { } expected && expected != plaintextLength)
        {
            throw new EncryptedStorageException($"The encrypted file holds {plaintextLength} plaintext bytes, {expected} were recorded: it was truncated or extended.");
        }

        var (dek, keyIndex) = keyRing.Unwrap(header);
        return new LxEnc01ReadStream(source, leaveOpen, header, headerBytes, dek, keyIndex, plaintextLength, chunkCount);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (buffer.IsEmpty || position >= Length)
        {
            return 0;
        }

        var index = position / Header.ChunkSize;
        if (index != cachedIndex)
        {
            var recordLength = RecordLength(index);
            source.Position = dataOffset + (index * fullRecordSize);
            if (ReadFully(source, record.AsSpan(0, recordLength)) != recordLength)
            {
                throw new EncryptedStorageException($"Encrypted chunk {index} is truncated.");
            }

            OpenRecord(index, recordLength);
        }

        return CopyOut(buffer);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (buffer.IsEmpty || position >= Length)
        {
            return 0;
        }

        var index = position / Header.ChunkSize;
        if (index != cachedIndex)
        {
            var recordLength = RecordLength(index);
            source.Position = dataOffset + (index * fullRecordSize);
            var read = 0;
            while (read < recordLength)
            {
                var n = await source.ReadAsync(record.AsMemory(read, recordLength - read), cancellationToken);
                if (n == 0)
                {
                    throw new EncryptedStorageException($"Encrypted chunk {index} is truncated.");
                }

                read += n;
            }

            OpenRecord(index, recordLength);
        }

        return CopyOut(buffer.Span);
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => position + offset,
            SeekOrigin.End => Length + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin)),
        };
        Position = target;
        return position;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !disposed)
        {
            Release();
            if (!leaveOpen)
            {
                source.Dispose();
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
                await source.DisposeAsync();
            }
        }

        await base.DisposeAsync();
    }

    /// <summary>Plaintext length and chunk count from the file length, checked against the last record's length prefix.</summary>
    private static (long PlaintextLength, long ChunkCount) Geometry(Stream source, LxEnc01Header header, long dataOffset)
    {
        var payload = source.Length - dataOffset;
        if (payload < 0)
        {
            throw new EncryptedStorageException("The LXENC01 payload size is invalid.");
        }

        var fullRecord = LxEnc01.FullRecordSize(header.ChunkSize);
        var fullCount = Math.DivRem(payload, fullRecord, out var finalRecord);
        var plaintextLength = fullCount * header.ChunkSize;
        var chunkCount = fullCount;
        if (finalRecord != 0)
        {
            // A last record carries at least one plaintext byte; the writer never emits an empty one.
            if (finalRecord <= LxEnc01.LengthPrefixSize + LxEnc01.TagSize)
            {
                throw new EncryptedStorageException("The final LXENC01 chunk record is truncated.");
            }

            source.Position = dataOffset + (fullCount * fullRecord);
            Span<byte> prefix = stackalloc byte[LxEnc01.LengthPrefixSize];
            if (ReadFully(source, prefix) != prefix.Length
                || BinaryPrimitives.ReadUInt32BigEndian(prefix) + (long)LxEnc01.LengthPrefixSize != finalRecord)
            {
                throw new EncryptedStorageException("The final LXENC01 chunk length does not match the file size (truncated or extra data).");
            }

            plaintextLength += finalRecord - LxEnc01.LengthPrefixSize - LxEnc01.TagSize;
            chunkCount++;
        }

        if (chunkCount > uint.MaxValue + 1L)
        {
            throw new EncryptedStorageException("The LXENC01 file has more chunks than its 32-bit counter allows.");
        }

        return (plaintextLength, chunkCount);
    }

    private int RecordLength(long index)
    {
        var plaintext = Math.Min(Header.ChunkSize, Length - (index * Header.ChunkSize));
        return (int)(LxEnc01.LengthPrefixSize + plaintext + LxEnc01.TagSize);
    }

    /// <summary>Checks the length prefix against the geometry and authenticates the chunk into the cache.</summary>
    private void OpenRecord(long index, int recordLength)
    {
        cachedIndex = -1;
        var ciphertextLength = recordLength - LxEnc01.LengthPrefixSize;
        if (BinaryPrimitives.ReadUInt32BigEndian(record) != ciphertextLength)
        {
            throw new EncryptedStorageException($"Encrypted chunk {index} length does not match the chunk geometry.");
        }

        var plaintextLength = ciphertextLength - LxEnc01.TagSize;
        Span<byte> nonce = stackalloc byte[LxEnc01.WrapNonceSize];
        LxEnc01.ChunkNonce(noncePrefix, (uint)index, nonce);
        try
        {
            aes.Decrypt(
                nonce,
                record.AsSpan(LxEnc01.LengthPrefixSize, plaintextLength),
                record.AsSpan(LxEnc01.LengthPrefixSize + plaintextLength, LxEnc01.TagSize),
                chunk.AsSpan(0, plaintextLength),
                headerBytes);
        }
        catch (AuthenticationTagMismatchException ex)
        {
            throw new EncryptedStorageException($"Encrypted chunk {index} failed authentication (tampered, reordered or from another file).", ex);
        }

        cachedIndex = index;
        cachedLength = plaintextLength;
    }

    private int CopyOut(Span<byte> buffer)
    {
        var within = (int)(position - (cachedIndex * Header.ChunkSize));
        var count = Math.Min(buffer.Length, cachedLength - within);
        chunk.AsSpan(within, count).CopyTo(buffer);
        position += count;
        return count;
    }

    private static int ReadFully(Stream stream, Span<byte> buffer)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = stream.Read(buffer[read..]);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        return read;
    }

    private void Release()
    {
        disposed = true;
        aes.Dispose();
        CryptographicOperations.ZeroMemory(chunk.AsSpan(0, Header.ChunkSize));
        ArrayPool<byte>.Shared.Return(chunk);
        ArrayPool<byte>.Shared.Return(record);
    }
}
