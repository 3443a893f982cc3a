using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto.Agreement;
using Org.BouncyCastle.Crypto.Parameters;

namespace LxAnnotate.Shared.Envelope;

/// <summary>
/// The key half of profile <c>x25519-hkdf-sha256-aes256gcm-v1</c>: KEK = HKDF-SHA256(X25519(ephemeral,
/// recipient), salt = wrap_salt, info = <c>lx-hub-media-envelope-wrap-v1</c>), and the 32-byte DEK sealed
/// under it with one-shot AES-GCM (wrap_nonce, the envelope's AAD). The payload half is <see cref="EnvelopeCrypto"/>.
/// </summary>
internal static class EnvelopeKeyWrap
{
    private const int TagBytes = 16;

    /// <summary>The DEK sealed under the KEK: 32 bytes of ciphertext followed by the 16-byte tag.</summary>
    public static byte[] Wrap(EnvelopeMaterial material, X25519PublicKeyParameters recipient, byte[] aad)
    {
        var kek = DeriveKek(material.EphemeralKey, recipient, material.WrapSalt);
        var wrapped = new byte[48];
        using var wrap = new AesGcm(kek, TagBytes);
        wrap.Encrypt(material.WrapNonce, material.DataEncryptionKey, wrapped.AsSpan(0, 32), wrapped.AsSpan(32, TagBytes), aad);
        return wrapped;
    }

    /// <summary>
    /// Unwraps the DEK for <paramref name="envelope"/>: fails with <c>recipient_key_unavailable</c> when no key
    /// of <paramref name="keys"/> has its id, and with <c>authentication_failed</c> when the metadata was altered.
    /// </summary>
    public static byte[] Unwrap(MediaEnvelope envelope, RecipientKeyRing keys)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        ArgumentNullException.ThrowIfNull(keys);
        var key = keys.Find(envelope.RecipientKeyId)
            ?? throw new EnvelopeException("recipient_key_unavailable", "key_unwrap", "No recipient private key of this hub has the envelope's recipient_key_id.", "recipient_key_id");

        byte[] kek;
        try
        {
            kek = DeriveKek(key, new X25519PublicKeyParameters(envelope.EphemeralPublicKey), envelope.WrapSalt);
        }
        catch (InvalidOperationException)
        {
            throw new EnvelopeException("authentication_failed", "key_unwrap", "The ephemeral public key gives no shared secret.", "ephemeral_public_key");
        }

        var dek = new byte[32];
        try
        {
            using var unwrap = new AesGcm(kek, TagBytes);
            unwrap.Decrypt(envelope.WrapNonce, envelope.WrappedDataEncryptionKey.AsSpan(0, 32), envelope.WrappedDataEncryptionKey.AsSpan(32, TagBytes), dek, envelope.AssociatedData());
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new EnvelopeException("authentication_failed", "key_unwrap", "The data encryption key does not authenticate: the envelope metadata was altered or is not for this key.", "wrapped_data_encryption_key");
        }

        return dek;
    }

    private static byte[] DeriveKek(X25519PrivateKeyParameters privateKey, X25519PublicKeyParameters publicKey, byte[] salt)
    {
        var agreement = new X25519Agreement();
        agreement.Init(privateKey);
        var shared = new byte[agreement.AgreementSize];
        agreement.CalculateAgreement(publicKey, shared, 0);
        try
        {
            return HKDF.DeriveKey(HashAlgorithmName.SHA256, shared, 32, salt, Encoding.ASCII.GetBytes(MediaEnvelope.WrapInfo));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(shared);
        }
    }
}
