using System.Buffers;
using System.Security.Cryptography;
using LxAnnotate.Hub.Storage;
using LxAnnotate.Hub.Storage.Encryption;

namespace LxAnnotate.Hub.Transfer.PartialFiles;

/// <summary>
/// The partial file of an encrypted-class transfer is an LXENC01 file growing record by record: every full chunk is
/// sealed as soon as it has arrived, and only sealed records are ever made durable, so a durable offset is a whole
/// number of chunks (or the declared size once the short last record is sealed). The plaintext of a chunk still
/// filling lives in memory only; after an interruption the sender resends it from the durable offset.
/// </summary>
internal static class EncryptedPartial
{
    /// <summary>A fresh LXENC01 file: the file is emptied and a header with a new data key written.</summary>
    public static async Task<LxEnc01WriteStream> StartAsync(FileStream file, MasterKeyRing keyRing, CancellationToken cancellationToken)
    {
        file.SetLength(0);
        file.Position = 0;
        return await LxEnc01WriteStream.CreateAsync(file, keyRing, LxEnc01.DefaultChunkSize, leaveOpen: true, cancellationToken);
    }

    /// <summary>
    /// Continues at <paramref name="durableOffset"/> plaintext bytes: records past it (written, never recorded) are cut,
    /// the records under it are decrypted into <paramref name="hash"/> (which also authenticates them), and a writer
    /// that seals the next record is returned. A file at its final short record needs no writer.
    /// </summary>
    /// <returns>False when the file lacks bytes under the offset or does not open under the hub's master keys.</returns>
    public static async Task<(bool Resumed, LxEnc01WriteStream? Writer)> ResumeAsync(
        FileStream file, MasterKeyRing keyRing, long durableOffset, IncrementalHash hash, CancellationToken cancellationToken)
    {
        if (await RecordsEndAsync(file, durableOffset, cancellationToken) is not { } end)
        {
            return (false, null);
        }

        // Bytes past the records of the durable offset mean a record was written and lost its offset: its nonce was
        // used, so the file continues under a fresh data key rather than seal other bytes with that nonce again.
        var lostTail = file.Length > end.Length;
        file.SetLength(end.Length);
        byte[] headerBytes;
        try
        {
            headerBytes = lostTail
                ? await RekeyAsync(file, keyRing, durableOffset, hash, cancellationToken)
                : await HashRecordsAsync(file, keyRing, durableOffset, hash, cancellationToken);
        }
        catch (EncryptedStorageException)
        {
            return (false, null);
        }

        file.Position = end.Length;
        var writer = end.ShortLastRecord ? null : LxEnc01WriteStream.Continue(file, keyRing, headerBytes, end.FullRecords, leaveOpen: true);
        return (true, writer);
    }

    /// <summary>Where the records of <paramref name="plaintextLength"/> bytes end in the file, or null when the file is shorter.</summary>
    private static async Task<RecordsEnd?> RecordsEndAsync(FileStream file, long plaintextLength, CancellationToken cancellationToken)
    {
        byte[] headerBytes;
        int chunkSize;
        try
        {
            headerBytes = await LxEnc01.ReadHeaderBytesAsync(file.SafeFileHandle, cancellationToken);
            chunkSize = LxEnc01Header.Parse(headerBytes).ChunkSize;
        }
        catch (EncryptedStorageException)
        {
            return null;
        }

        var fullRecords = plaintextLength / chunkSize;
        var rest = plaintextLength % chunkSize;
        var length = LxEnc01.PreambleSize + headerBytes.Length + (fullRecords * LxEnc01.FullRecordSize(chunkSize))
            + (rest > 0 ? LxEnc01.LengthPrefixSize + rest + LxEnc01.TagSize : 0);
        return file.Length < length ? null : new RecordsEnd(length, fullRecords, rest > 0);
    }

    private static async Task<byte[]> RekeyAsync(FileStream file, MasterKeyRing keyRing, long durableOffset, IncrementalHash hash, CancellationToken cancellationToken)
    {
        var (headerBytes, plaintextLength) = await LxEnc01Rekey.RekeyInPlaceAsync(file, keyRing, hash, cancellationToken);
        return plaintextLength == durableOffset
            ? headerBytes
            : throw new EncryptedStorageException($"The partial file holds {plaintextLength} plaintext bytes, {durableOffset} were recorded.");
    }

    /// <summary>Decrypts the records (authenticating them) into <paramref name="hash"/>; returns the header bytes as in the file.</summary>
    private static async Task<byte[]> HashRecordsAsync(FileStream file, MasterKeyRing keyRing, long durableOffset, IncrementalHash hash, CancellationToken cancellationToken)
    {
        await using var records = LxEnc01ReadStream.Open(file, keyRing, leaveOpen: true, expectedPlaintextLength: durableOffset);
        var buffer = ArrayPool<byte>.Shared.Rent(ContentStore.BufferSize);
        try
        {
            int read;
            while ((read = await records.ReadAsync(buffer.AsMemory(0, ContentStore.BufferSize), cancellationToken)) > 0)
            {
                hash.AppendData(buffer, 0, read);
            }

            return records.HeaderBytes;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer.AsSpan(0, ContentStore.BufferSize));
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private sealed record RecordsEnd(long Length, long FullRecords, bool ShortLastRecord);
}
