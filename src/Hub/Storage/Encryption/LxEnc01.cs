using System.Buffers.Binary;

namespace LxAnnotate.Hub.Storage.Encryption;

/// <summary>
/// Constants of the <c>LXENC01</c> file format, byte-compatible with the original system's encrypted storage:
/// <c>magic ‖ u32be header length ‖ header JSON ‖ records</c>, each record <c>u32be length ‖ AES-256-GCM ciphertext ‖ tag</c>.
/// See <c>docs/architecture.md</c> (Encrypted artifacts) for the full rules.
/// </summary>
public static class LxEnc01
{
    public const string Algorithm = "AESGCM-chunked-v1";

    public const int Version = 1;

    public const int DefaultChunkSize = 1024 * 1024;

    public const int MaxChunkSize = 64 * 1024 * 1024;

    public const int MaxHeaderSize = 64 * 1024;

    public const int DekSize = 32;

    public const int TagSize = 16;

    public const int WrapNonceSize = 12;

    public const int NoncePrefixSize = 8;

    public const int LengthPrefixSize = 4;

    /// <summary>Bytes before the header JSON: the magic and the 4-byte header length.</summary>
    public const int PreambleSize = 8 + LengthPrefixSize;

    /// <summary>AES-GCM output of wrapping the data key: ciphertext followed by the tag, as Python <c>cryptography</c> produces.</summary>
    public const int WrappedDekSize = DekSize + TagSize;

    /// <summary>The 8 bytes every LXENC01 file starts with.</summary>
    public static ReadOnlySpan<byte> Magic => "LXENC01\n"u8;

    /// <summary>Additional authenticated data of the data-key wrap.</summary>
    public static ReadOnlySpan<byte> WrapAad => "lx-annotate:dek-wrap:v1"u8;

    /// <summary>Size of a record that carries a full chunk: length prefix, ciphertext, tag.</summary>
    public static long FullRecordSize(int chunkSize) => LengthPrefixSize + (long)chunkSize + TagSize;

    /// <summary>Whether <paramref name="prefix"/> (the first bytes of a file) starts with the LXENC01 magic.</summary>
    public static bool HasMagic(ReadOnlySpan<byte> prefix) => prefix.StartsWith(Magic);

    /// <summary>Whether the file at <paramref name="path"/> starts with the LXENC01 magic (reads 8 bytes).</summary>
    public static bool IsEncryptedFile(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
        Span<byte> prefix = stackalloc byte[8];
        var read = 0;
        while (read < prefix.Length)
        {
            var n = file.Read(prefix[read..]);
            if (n == 0)
            {
                return false;
            }

            read += n;
        }

        return HasMagic(prefix);
    }

    /// <summary>The header bytes of an LXENC01 file, exactly as stored (read at their offsets; the handle's position is not used).</summary>
    /// <exception cref="EncryptedStorageException">No magic, or a header length out of bounds or cut short.</exception>
    internal static async Task<byte[]> ReadHeaderBytesAsync(Microsoft.Win32.SafeHandles.SafeFileHandle file, CancellationToken cancellationToken)
    {
        var preamble = new byte[LxEnc01.PreambleSize];
        if (await RandomAccess.ReadAsync(file, preamble, 0, cancellationToken) != preamble.Length || !LxEnc01.HasMagic(preamble))
        {
            throw new EncryptedStorageException("Not an LXENC01 encrypted file (magic missing).");
        }

        var headerLength = BinaryPrimitives.ReadUInt32BigEndian(preamble.AsSpan(8));
        if (headerLength is 0 or > LxEnc01.MaxHeaderSize)
        {
            throw new EncryptedStorageException("The LXENC01 header length is truncated or exceeds its size limit.");
        }

        var headerBytes = new byte[headerLength];
        if (await RandomAccess.ReadAsync(file, headerBytes, LxEnc01.PreambleSize, cancellationToken) != headerBytes.Length)
        {
            throw new EncryptedStorageException("The LXENC01 header is truncated.");
        }

        return headerBytes;
    }

    internal static void ValidateChunkSize(int chunkSize)
    {
        if (chunkSize is <= 0 or > MaxChunkSize)
        {
            throw new ArgumentOutOfRangeException(nameof(chunkSize), chunkSize, $"The chunk size must be between 1 and {MaxChunkSize} bytes.");
        }
    }

    /// <summary>Nonce of chunk <paramref name="counter"/>: the 8-byte prefix and the big-endian 4-byte counter.</summary>
    internal static void ChunkNonce(ReadOnlySpan<byte> prefix, uint counter, Span<byte> nonce)
    {
        prefix.CopyTo(nonce);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(nonce[NoncePrefixSize..], counter);
    }
}
