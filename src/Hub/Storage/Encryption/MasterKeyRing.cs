using System.Security.Cryptography;

namespace LxAnnotate.Hub.Storage.Encryption;

/// <summary>
/// The master keys that wrap per-file data keys: one current key wraps new files; enrolled retiring keys
/// may still unwrap existing ones (rotation). Key bytes never leave this type except into AES-GCM, and
/// <see cref="ToString"/> shows none of them.
/// </summary>
public sealed class MasterKeyRing
{
    private readonly byte[][] keys;

    /// <param name="current">16, 24 or 32 bytes; wraps every new data key.</param>
    /// <param name="retiring">Older keys that may still unwrap existing files.</param>
    public MasterKeyRing(ReadOnlySpan<byte> current, IEnumerable<byte[]>? retiring = null)
    {
        var all = new List<byte[]> { current.ToArray() };
        all.AddRange((retiring ?? []).Select(k => k.ToArray()));
        foreach (var key in all)
        {
            if (key.Length is not (16 or 24 or 32))
            {
                throw new ArgumentException("Master keys must contain 16, 24 or 32 bytes.", nameof(current));
            }
        }

        for (var i = 0; i < all.Count; i++)
        {
            for (var j = i + 1; j < all.Count; j++)
            {
                if (CryptographicOperations.FixedTimeEquals(all[i], all[j]))
                {
                    throw new ArgumentException("Key ring generations must have distinct key material.", nameof(retiring));
                }
            }
        }

        keys = [.. all];
    }

    /// <summary>Number of retiring keys enrolled besides the current one.</summary>
    public int RetiringCount => keys.Length - 1;

    /// <summary>Wraps a fresh random data key under the current key; returns the header fields and the plain data key.</summary>
    internal (byte[] Dek, byte[] WrappedDek, byte[] WrapNonce) CreateDataKey()
    {
        var dek = RandomNumberGenerator.GetBytes(LxEnc01.DekSize);
        var (wrapped, nonce) = Wrap(dek);
        return (dek, wrapped, nonce);
    }

    /// <summary>AES-GCM wrap of <paramref name="dek"/> under the current key; the result is ciphertext followed by the tag.</summary>
    internal (byte[] WrappedDek, byte[] WrapNonce) Wrap(ReadOnlySpan<byte> dek)
    {
        var nonce = RandomNumberGenerator.GetBytes(LxEnc01.WrapNonceSize);
        var wrapped = new byte[LxEnc01.WrappedDekSize];
        using var aes = new AesGcm(keys[0], LxEnc01.TagSize);
        aes.Encrypt(nonce, dek, wrapped.AsSpan(0, LxEnc01.DekSize), wrapped.AsSpan(LxEnc01.DekSize), LxEnc01.WrapAad);
        return (wrapped, nonce);
    }

    /// <summary>Unwraps the header's data key with the current key, then each retiring key in order.</summary>
    /// <returns>The data key and the index of the key that opened it (0 = current, 1.. = retiring).</returns>
    /// <exception cref="EncryptedStorageException">No configured key authenticates the wrapped key.</exception>
    internal (byte[] Dek, int KeyIndex) Unwrap(LxEnc01Header header)
    {
        var dek = new byte[LxEnc01.DekSize];
        var wrapped = header.WrappedDek;
        for (var i = 0; i < keys.Length; i++)
        {
            using var aes = new AesGcm(keys[i], LxEnc01.TagSize);
            try
            {
                aes.Decrypt(header.WrapNonce, wrapped[..LxEnc01.DekSize], wrapped[LxEnc01.DekSize..], dek, LxEnc01.WrapAad);
                return (dek, i);
            }
            catch (AuthenticationTagMismatchException)
            {
            }
        }

        CryptographicOperations.ZeroMemory(dek);
        throw new EncryptedStorageException("No configured master key opens this encrypted file (wrong key, or the file was wrapped with a key that is not enrolled).");
    }

    public override string ToString() => $"MasterKeyRing(current + {RetiringCount} retiring)";
}
