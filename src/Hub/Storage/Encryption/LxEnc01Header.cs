using System.Globalization;
using System.Text;

namespace LxAnnotate.Hub.Storage.Encryption;

/// <summary>
/// The JSON header of an LXENC01 file. <see cref="Encode"/> produces the original system's exact bytes
/// (compact JSON, keys sorted, binary fields URL-safe base64 with padding); those bytes are the additional
/// data of every chunk, so a reader always authenticates against the bytes as read, never a re-encoding.
/// </summary>
public sealed class LxEnc01Header
{
    private static readonly string[] KeyNames = ["algorithm", "chunk_size", "nonce_prefix", "version", "wrap_nonce", "wrapped_dek"];

    private readonly byte[] wrappedDek;
    private readonly byte[] wrapNonce;
    private readonly byte[] noncePrefix;

    public LxEnc01Header(int chunkSize, ReadOnlySpan<byte> wrappedDek, ReadOnlySpan<byte> wrapNonce, ReadOnlySpan<byte> noncePrefix)
    {
        LxEnc01.ValidateChunkSize(chunkSize);
        if (wrappedDek.Length != LxEnc01.WrappedDekSize || wrapNonce.Length != LxEnc01.WrapNonceSize || noncePrefix.Length != LxEnc01.NoncePrefixSize)
        {
            throw new EncryptedStorageException("Malformed encrypted file key material in the LXENC01 header.");
        }

        ChunkSize = chunkSize;
        this.wrappedDek = wrappedDek.ToArray();
        this.wrapNonce = wrapNonce.ToArray();
        this.noncePrefix = noncePrefix.ToArray();
    }

    public int ChunkSize { get; }

    /// <summary>The AES-GCM wrapped data key: 32 bytes ciphertext followed by the 16-byte tag.</summary>
    public ReadOnlySpan<byte> WrappedDek => wrappedDek;

    public ReadOnlySpan<byte> WrapNonce => wrapNonce;

    public ReadOnlySpan<byte> NoncePrefix => noncePrefix;

    /// <summary>The canonical header bytes, identical to Python's <c>json.dumps(…, sort_keys=True, separators=(",", ":"))</c>.</summary>
    public byte[] Encode()
    {
        var json = string.Create(
            CultureInfo.InvariantCulture,
            $"{{\"algorithm\":\"{LxEnc01.Algorithm}\",\"chunk_size\":{ChunkSize},\"nonce_prefix\":\"{Base64Url(noncePrefix)}\",\"version\":{LxEnc01.Version},\"wrap_nonce\":\"{Base64Url(wrapNonce)}\",\"wrapped_dek\":\"{Base64Url(wrappedDek)}\"}}");
        return Encoding.ASCII.GetBytes(json);
    }

    /// <summary>Parses header bytes strictly: exactly the six known keys, version 1, the known algorithm, valid sizes.</summary>
    /// <exception cref="EncryptedStorageException">The header is not a valid LXENC01 header.</exception>
    public static LxEnc01Header Parse(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length is 0 or > LxEnc01.MaxHeaderSize)
        {
            throw new EncryptedStorageException("The LXENC01 header exceeds its size limit.");
        }

        var fields = LxEnc01HeaderFields.Read(bytes);
        if (fields.Count != KeyNames.Length)
        {
            throw new EncryptedStorageException("The LXENC01 header lacks a required field.");
        }

        if (fields.Version != LxEnc01.Version || !string.Equals(fields.Algorithm, LxEnc01.Algorithm, StringComparison.Ordinal))
        {
            throw new EncryptedStorageException("Unsupported encrypted file header version or algorithm.");
        }

        if (fields.ChunkSize is not (> 0 and <= LxEnc01.MaxChunkSize))
        {
            throw new EncryptedStorageException("The LXENC01 chunk size exceeds the bounded streaming contract.");
        }

        // All six keys are present (the count above), so the strings are set.
        return new LxEnc01Header((int)fields.ChunkSize.Value, FromBase64Url(fields.WrappedDek!), FromBase64Url(fields.WrapNonce!), FromBase64Url(fields.NoncePrefix!));
    }

    /// <summary>A copy with another wrapped key (re-wrap under a new master key); chunk size and nonce prefix stay.</summary>
    public LxEnc01Header WithWrappedDek(ReadOnlySpan<byte> newWrappedDek, ReadOnlySpan<byte> newWrapNonce) =>
        new(ChunkSize, newWrappedDek, newWrapNonce, noncePrefix);

    internal static string Base64Url(ReadOnlySpan<byte> data) =>
        Convert.ToBase64String(data).Replace('+', '-').Replace('/', '_');

    /// <summary>URL-safe base64 with padding, as Python's <c>urlsafe_b64encode</c> writes it; the standard alphabet's '+' and '/' are refused.</summary>
    internal static byte[] FromBase64Url(string text)
    {
        if (text.Contains('+', StringComparison.Ordinal) || text.Contains('/', StringComparison.Ordinal) || text.Length % 4 != 0)
        {
            throw new EncryptedStorageException("An LXENC01 header field is not URL-safe base64 with padding.");
        }

        try
        {
            return Convert.FromBase64String(text.Replace('-', '+').Replace('_', '/'));
        }
        catch (FormatException ex)
        {
            throw new EncryptedStorageException("An LXENC01 header field is not URL-safe base64 with padding.", ex);
        }
    }
}
