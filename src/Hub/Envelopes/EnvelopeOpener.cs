using System.Security.Cryptography;
using LxAnnotate.Hub.Storage;
using LxAnnotate.Shared.Envelope;

namespace LxAnnotate.Hub.Envelopes;

/// <summary>
/// Opens a <c>hub_media_envelope_v1</c> for the ingest core, the same way for the gRPC transfer and the REST hub
/// transfer: unwrap the data key, decrypt into a staging file (tag, size and plaintext SHA-256 verified by the
/// crypto), then check that plaintext is the media the boundary expects. Every refusal is an
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

    public static async Task<OpenedEnvelope> OpenToFileAsync(
        MediaEnvelope envelope,
        RecipientKeyRing keys,
        Stream ciphertext,
        string plaintextPath,
        ExpectedMedia expected,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(expected);

        DecryptedMedia decrypted;
        try
        {
            var key = EnvelopeCrypto.UnwrapDataEncryptionKey(envelope, keys);
            try
            {
                decrypted = await EnvelopeCrypto.DecryptToFileAsync(envelope, key, ciphertext, plaintextPath, cancellationToken);
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

        var plaintext = new StagedContent(plaintextPath, decrypted.PlaintextSha256, decrypted.PlaintextSize);
        if (!expected.Matches(plaintext))
        {
            ContentStore.DeleteQuietly(plaintextPath);
            throw new EnvelopeRefusedException("The decrypted media differs from the expected media.");
        }

        return new OpenedEnvelope(plaintext, decrypted.CiphertextSha256);
    }
}
