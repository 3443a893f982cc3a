using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;

namespace LxAnnotate.Hub.Storage.Encryption;

/// <summary>
/// Re-seals an LXENC01 file in place under a fresh data key and nonce prefix. A growing file that lost its tail (a
/// crash after a record was written, before its offset was recorded) is continued this way: the next record would
/// otherwise reuse the nonce of the lost one for other bytes, which AES-GCM forbids. Records and header keep their
/// sizes, so every byte is rewritten where it was: records first, then the header, each fsynced; a crash in between
/// leaves a file no key opens, which the caller treats as lost bytes.
/// </summary>
internal static class LxEnc01Rekey
{
    /// <summary>Re-seals every record of <paramref name="file"/> (which ends at a record boundary), hashing the plaintext into <paramref name="plaintextHash"/>.</summary>
    /// <returns>The new header bytes (every record's additional data from now on) and the plaintext length.</returns>
    /// <exception cref="EncryptedStorageException">A record does not authenticate, or the file is malformed.</exception>
    public static async Task<(byte[] HeaderBytes, long PlaintextLength)> RekeyInPlaceAsync(FileStream file, MasterKeyRing keyRing, IncrementalHash plaintextHash, CancellationToken cancellationToken)
    {
        var oldHeaderBytes = await LxEnc01.ReadHeaderBytesAsync(file.SafeFileHandle, cancellationToken);
        var oldHeader = LxEnc01Header.Parse(oldHeaderBytes);
        var (newDek, wrapped, wrapNonce) = keyRing.CreateDataKey();
        var newHeader = new LxEnc01Header(oldHeader.ChunkSize, wrapped, wrapNonce, RandomNumberGenerator.GetBytes(LxEnc01.NoncePrefixSize));
        var newHeaderBytes = newHeader.Encode();
        if (newHeaderBytes.Length != oldHeaderBytes.Length)
        {
            CryptographicOperations.ZeroMemory(newDek);
            throw new EncryptedStorageException("The LXENC01 header cannot be rewritten in place.");
        }

        var (oldDek, _) = keyRing.Unwrap(oldHeader);
        using var opener = new AesGcm(oldDek, LxEnc01.TagSize);
        using var sealer = new AesGcm(newDek, LxEnc01.TagSize);
        CryptographicOperations.ZeroMemory(oldDek);
        CryptographicOperations.ZeroMemory(newDek);
        var records = new RecordPair(opener, oldHeader, oldHeaderBytes, sealer, newHeader, newHeaderBytes);
        var plaintextLength = await ResealRecordsAsync(file, records, LxEnc01.PreambleSize + oldHeaderBytes.Length, plaintextHash, cancellationToken);
        SyncToDisk(file);
        await RandomAccess.WriteAsync(file.SafeFileHandle, newHeaderBytes, LxEnc01.PreambleSize, cancellationToken);
        SyncToDisk(file);
        return (newHeaderBytes, plaintextLength);
    }

    /// <summary>fsync has no asynchronous form.</summary>
    private static void SyncToDisk(FileStream file)
    {
#pragma warning disable CA1849
        file.Flush(flushToDisk: true);
#pragma warning restore CA1849
    }

    /// <returns>The plaintext length of the records.</returns>
    private static async Task<long> ResealRecordsAsync(FileStream file, RecordPair keys, long offset, IncrementalHash plaintextHash, CancellationToken cancellationToken)
    {
        long plaintextLength = 0;
        var chunkSize = keys.OldHeader.ChunkSize;
        var record = ArrayPool<byte>.Shared.Rent(chunkSize + LxEnc01.TagSize);
        var plain = ArrayPool<byte>.Shared.Rent(chunkSize);
        var lengthPrefix = new byte[LxEnc01.LengthPrefixSize];
        try
        {
            var end = file.Length;
            for (uint counter = 0; offset < end; counter++)
            {
                if (await RandomAccess.ReadAsync(file.SafeFileHandle, lengthPrefix, offset, cancellationToken) != lengthPrefix.Length)
                {
                    throw new EncryptedStorageException("An LXENC01 record is truncated.");
                }

                var cipherLength = (int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(lengthPrefix), int.MaxValue);
                if (cipherLength <= LxEnc01.TagSize || cipherLength > chunkSize + LxEnc01.TagSize
                    || await RandomAccess.ReadAsync(file.SafeFileHandle, record.AsMemory(0, cipherLength), offset + LxEnc01.LengthPrefixSize, cancellationToken) != cipherLength)
                {
                    throw new EncryptedStorageException("An LXENC01 record is malformed or truncated.");
                }

                keys.Reseal(counter, record.AsSpan(0, cipherLength), plain);
                plaintextHash.AppendData(plain, 0, cipherLength - LxEnc01.TagSize);
                plaintextLength += cipherLength - LxEnc01.TagSize;
                await RandomAccess.WriteAsync(file.SafeFileHandle, record.AsMemory(0, cipherLength), offset + LxEnc01.LengthPrefixSize, cancellationToken);
                offset += LxEnc01.LengthPrefixSize + cipherLength;
            }

            return plaintextLength;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain.AsSpan(0, chunkSize));
            ArrayPool<byte>.Shared.Return(plain);
            ArrayPool<byte>.Shared.Return(record);
        }
    }

    /// <summary>The old and the new key of one re-seal, with their nonce prefixes and additional data.</summary>
    private sealed record RecordPair(AesGcm Opener, LxEnc01Header OldHeader, byte[] OldHeaderBytes, AesGcm Sealer, LxEnc01Header NewHeader, byte[] NewHeaderBytes)
    {
        /// <summary>Opens record <paramref name="counter"/> (ciphertext ‖ tag) into <paramref name="plain"/> and seals it again in place.</summary>
        public void Reseal(uint counter, Span<byte> record, Span<byte> plain)
        {
            var textLength = record.Length - LxEnc01.TagSize;
            Span<byte> nonce = stackalloc byte[LxEnc01.WrapNonceSize];
            LxEnc01.ChunkNonce(OldHeader.NoncePrefix, counter, nonce);
            try
            {
                Opener.Decrypt(nonce, record[..textLength], record[textLength..], plain[..textLength], OldHeaderBytes);
            }
            catch (AuthenticationTagMismatchException ex)
            {
                throw new EncryptedStorageException("An LXENC01 record does not authenticate.", ex);
            }

            LxEnc01.ChunkNonce(NewHeader.NoncePrefix, counter, nonce);
            Sealer.Encrypt(nonce, plain[..textLength], record[..textLength], record[textLength..], NewHeaderBytes);
        }
    }
}
