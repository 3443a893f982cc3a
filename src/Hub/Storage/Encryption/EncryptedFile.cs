using System.Buffers;
using System.Security.Cryptography;
using LxAnnotate.Shared.Storage;

namespace LxAnnotate.Hub.Storage.Encryption;

/// <summary>
/// LXENC01 files on disk: encrypt a stream to a temp file in the target directory, fsync it, rename it into
/// place atomically and fsync the directory, so a reader sees either no file or a complete one.
/// </summary>
public static class EncryptedFile
{
    private const int CopyBufferSize = 256 * 1024;

    private const UnixFileMode FileMode0640 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;

    /// <summary>Encrypts <paramref name="plaintext"/> into <paramref name="path"/>, hashing the plaintext on the way.</summary>
    /// <param name="overwrite">Replace an existing file; otherwise an existing target fails with <see cref="IOException"/>.</param>
    /// <param name="maxBytes">More plaintext than this fails with <see cref="ContentTooLargeException"/>; nothing is kept.</param>
    public static async Task<EncryptedWriteResult> WriteAsync(
        Stream plaintext,
        string path,
        MasterKeyRing keyRing,
        bool overwrite = false,
        int chunkSize = LxEnc01.DefaultChunkSize,
        long maxBytes = long.MaxValue,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var temp = TempPathFor(path);
        try
        {
            var result = await WriteNewAsync(plaintext, temp, keyRing, chunkSize, maxBytes, cancellationToken);
            Publish(temp, path, overwrite);
            return result;
        }
        catch
        {
            ContentStore.DeleteQuietly(temp);
            throw;
        }
    }

    /// <summary>
    /// Encrypts into a new file at <paramref name="path"/> (which must not exist) and fsyncs it; no rename.
    /// Used for staging, where the caller moves the file into place.
    /// </summary>
    public static async Task<EncryptedWriteResult> WriteNewAsync(
        Stream plaintext, string path, MasterKeyRing keyRing, int chunkSize = LxEnc01.DefaultChunkSize, long maxBytes = long.MaxValue, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await using var file = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
                BufferSize = 0,
                Options = FileOptions.Asynchronous,
                UnixCreateMode = FileMode0640,
            });
            long length;
            await using (var encrypted = await LxEnc01WriteStream.CreateAsync(file, keyRing, chunkSize, leaveOpen: true, cancellationToken))
            {
                int read;
                while ((read = await plaintext.ReadAsync(buffer.AsMemory(0, CopyBufferSize), cancellationToken)) > 0)
                {
                    if (encrypted.PlaintextLength + read > maxBytes)
                    {
                        throw new ContentTooLargeException(maxBytes);
                    }

                    hash.AppendData(buffer, 0, read);
                    await encrypted.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }

                await encrypted.CompleteAsync(cancellationToken);
                length = encrypted.PlaintextLength;
            }

            // fsync has no asynchronous form; the bytes must be on disk before the file is published.
#pragma warning disable CA1849
            file.Flush(flushToDisk: true);
#pragma warning restore CA1849
            return new EncryptedWriteResult(length, Convert.ToHexStringLower(hash.GetHashAndReset()));
        }
        catch
        {
            ContentStore.DeleteQuietly(path);
            throw;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer.AsSpan(0, CopyBufferSize));
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Rewrites a file under the ring's current key: encrypts a plaintext file, or re-encrypts an LXENC01 file a
    /// retiring key opens. The new file is decrypted and compared by SHA-256 before it atomically replaces the old one.
    /// </summary>
    /// <returns>The plaintext's length and hash.</returns>
    public static async Task<EncryptedWriteResult> ReencryptInPlaceAsync(string path, MasterKeyRing keyRing, int chunkSize = LxEnc01.DefaultChunkSize, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var temp = TempPathFor(path);
        try
        {
            EncryptedWriteResult written;
            if (LxEnc01.IsEncryptedFile(path))
            {
                // A new header means new additional data for every chunk, so the chunks are re-encrypted under a
                // fresh data key too: reusing the old key and nonces with other additional data would break GCM.
                await using var old = LxEnc01ReadStream.OpenFile(path, keyRing);
                written = await WriteNewAsync(old, temp, keyRing, old.Header.ChunkSize, cancellationToken: cancellationToken);
            }
            else
            {
                await using var plain = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, CopyBufferSize, useAsync: true);
                written = await WriteNewAsync(plain, temp, keyRing, chunkSize, cancellationToken: cancellationToken);
            }

            var check = await Sha256Async(temp, keyRing, written.PlaintextLength, cancellationToken);
            if (!string.Equals(check, written.PlaintextSha256, StringComparison.Ordinal))
            {
                throw new EncryptedStorageException("The re-encrypted file does not decrypt to the original content; the original was kept.");
            }

            Publish(temp, path, overwrite: true);
            return written;
        }
        catch
        {
            ContentStore.DeleteQuietly(temp);
            throw;
        }
    }

    /// <summary>SHA-256 (lower-case hex) of an LXENC01 file's plaintext, verifying every chunk.</summary>
    public static async Task<string> Sha256Async(string path, MasterKeyRing keyRing, long? expectedPlaintextLength = null, CancellationToken cancellationToken = default)
    {
        await using var reader = LxEnc01ReadStream.OpenFile(path, keyRing, expectedPlaintextLength);
        using var sha = SHA256.Create();
        var digest = await sha.ComputeHashAsync(reader, cancellationToken);
        return Convert.ToHexStringLower(digest);
    }

    private static string TempPathFor(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        return Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
    }

    private static void Publish(string temp, string path, bool overwrite)
    {
        File.Move(temp, path, overwrite);
        NativeFileSystem.FsyncDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }
}
