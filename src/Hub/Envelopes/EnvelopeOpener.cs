using System.Security.Cryptography;
using LxAnnotate.Hub.Storage;
using LxAnnotate.Shared.Envelope;

namespace LxAnnotate.Hub.Envelopes;

/// <summary>
/// Opens a <c>hub_media_envelope_v1</c> for the ingest core, the same way for the gRPC transfer and the REST hub
/// transfer: unwrap the data key, decrypt into a staging file in the form of the artifact's storage class (tag,
/// size and plaintext SHA-256 verified by the crypto), then check that plaintext is the media the boundary expects. Every refusal is an
/// <see cref="EnvelopeRefusedException"/> and leaves no plaintext behind.
/// </summary>
internal static class EnvelopeOpener
{
    /// <summary>
    /// Whether a recipient key of this hub opens <paramref name="envelope"/>; the data key is unwrapped and wiped,
    /// so metadata altered after sealing is refused before any byte of the media arrives.
    /// </summary>
    public static void EnsureOpenable(MediaEnvelope envelope, RecipientKeyRing keys)
    {
        try
        {
            CryptographicOperations.ZeroMemory(EnvelopeCrypto.UnwrapDataEncryptionKey(envelope, keys));
        }
        catch (EnvelopeException ex)
        {
            throw new EnvelopeRefusedException(ex);
        }
    }

    /// <summary>
    /// Decrypts <paramref name="ciphertext"/> into <paramref name="target"/> (which keeps the plaintext in its storage
    /// class's form) and returns it staged once the tag, the size and the plaintext SHA-256 are verified and it is
    /// the media <paramref name="expected"/> names. On a refusal the caller disposes the target, which removes it.
    /// </summary>
    public static async Task<OpenedEnvelope> OpenIntoAsync(
        MediaEnvelope envelope,
        RecipientKeyRing keys,
        Stream ciphertext,
        StagingStream target,
        ExpectedMedia expected,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(expected);

        DecryptedMedia decrypted;
        try
        {
            var key = EnvelopeCrypto.UnwrapDataEncryptionKey(envelope, keys);
            try
            {
                decrypted = await EnvelopeCrypto.DecryptAsync(envelope, key, ciphertext, target, cancellationToken);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(key);
            }
        }
        catch (EnvelopeException ex)
        {
            throw new EnvelopeRefusedException(ex);
        }

        var staged = await target.CompleteAsync(cancellationToken);
        if (!expected.Matches(staged) || !string.Equals(staged.Sha256, decrypted.PlaintextSha256, StringComparison.Ordinal))
        {
            ContentStore.DeleteQuietly(staged.Path);
            throw new EnvelopeRefusedException("The decrypted media differs from the expected media.");
        }

        return new OpenedEnvelope(staged, decrypted.CiphertextSha256);
    }
}
