using System.Buffers;
using System.Security.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Parameters;

namespace LxAnnotate.Shared.Envelope;

/// <summary>
/// Profile <c>x25519-hkdf-sha256-aes256gcm-v1</c>: KEK = HKDF-SHA256(X25519(ephemeral, recipient), salt =
/// wrap_salt, info = <c>lx-hub-media-envelope-wrap-v1</c>); the random 32-byte DEK is wrapped with AES-GCM
/// under the KEK (wrap_nonce, AAD), see <see cref="EnvelopeKeyWrap"/>; the payload is one AES-256-GCM stream over the whole file (payload_nonce,
/// same AAD) whose tag travels only in the metadata, so ciphertext length = plaintext length.
/// Both directions stream through a 1 MiB buffer: BouncyCastle's incremental GCM, since .NET's
/// <see cref="AesGcm"/> is one-shot.
/// </summary>
public static class EnvelopeCrypto
{
    public const int BufferSize = 1024 * 1024;

    private const int TagBytes = 16;

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>
    /// Encrypts <paramref name="plaintext"/> (read twice: hashed, then encrypted) into <paramref name="ciphertext"/>.
    /// </summary>
    public static async Task<MediaEnvelope> EncryptAsync(
        Func<Stream> plaintext,
        Stream ciphertext,
        X25519PublicKeyParameters recipient,
        EnvelopeIdentity identity,
        EnvelopeMaterial? material,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        ArgumentNullException.ThrowIfNull(ciphertext);
        ArgumentNullException.ThrowIfNull(recipient);
        ArgumentNullException.ThrowIfNull(identity);
        material ??= EnvelopeMaterial.Random();

        // The AAD names the plaintext's hash and size, so they are known before the first byte is encrypted.
        string sha256;
        long size;
        await using (var first = plaintext())
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            (size, _) = await PumpAsync(first, null, hash, null, cancellationToken);
            sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
        }

        if (size == 0)
        {
            throw new ArgumentException("An envelope needs at least one byte of plaintext.", nameof(plaintext));
        }

        var unsealed = Unsealed(identity, recipient, material, sha256, size);
        var aad = unsealed.AssociatedData();
        var wrapped = EnvelopeKeyWrap.Wrap(material, recipient, aad);
        var cipher = PayloadCipher(forEncryption: true, material.DataEncryptionKey, material.PayloadNonce, aad);
        await using (var second = plaintext())
        {
            var (read, tail) = await PumpAsync(second, cipher, null, ciphertext, cancellationToken);
            if (read != size)
            {
                throw new IOException("The plaintext changed while it was being encrypted.");
            }

            // DoFinal returns the last ciphertext bytes followed by the tag; the tag goes into the metadata.
            await ciphertext.WriteAsync(tail.AsMemory(0, tail.Length - TagBytes), cancellationToken);
            await ciphertext.FlushAsync(cancellationToken);
            return unsealed with { WrappedDataEncryptionKey = wrapped, PayloadTag = tail[^TagBytes..] };
        }
    }

    /// <summary>
    /// Unwraps the DEK for <paramref name="envelope"/>: fails with <c>recipient_key_unavailable</c> when no key
    /// of <paramref name="keys"/> has its id, and with <c>authentication_failed</c> when the metadata was altered.
    /// </summary>
    public static byte[] UnwrapDataEncryptionKey(MediaEnvelope envelope, RecipientKeyRing keys) =>
        EnvelopeKeyWrap.Unwrap(envelope, keys);

    /// <summary>
    /// Decrypts <paramref name="ciphertext"/> into a new owner-only file at <paramref name="plaintextPath"/>
    /// with bounded memory, and returns only after the GCM tag and the plaintext SHA-256 verified and the file
    /// is on disk. On any failure the file is removed; nothing of the plaintext outlives a refusal.
    /// </summary>
    public static async Task<DecryptedMedia> DecryptToFileAsync(
        MediaEnvelope envelope,
        byte[] dataEncryptionKey,
        Stream ciphertext,
        string plaintextPath,
        CancellationToken cancellationToken)
    {
        try
        {
            DecryptedMedia result;
            await using (var file = new FileStream(plaintextPath, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
                BufferSize = 0,
                Options = FileOptions.Asynchronous,
                UnixCreateMode = OwnerOnly,
            }))
            {
                result = await DecryptAsync(envelope, dataEncryptionKey, ciphertext, file, cancellationToken);

                // fsync has no asynchronous form; the plaintext is on disk before anyone is told it was received.
#pragma warning disable CA1849
                file.Flush(flushToDisk: true);
#pragma warning restore CA1849
            }

            return result with { PlaintextPath = plaintextPath };
        }
        catch
        {
            File.Delete(plaintextPath);
            throw;
        }
    }

    /// <summary>
    /// Streams the decryption of <paramref name="ciphertext"/> into <paramref name="plaintext"/> through one
    /// buffer. What reaches <paramref name="plaintext"/> is unverified until this returns: a caller keeps it
    /// staged and discards it on an exception (the tag, the size and the plaintext SHA-256 are checked last).
    /// </summary>
    public static async Task<DecryptedMedia> DecryptAsync(
        MediaEnvelope envelope,
        byte[] dataEncryptionKey,
        Stream ciphertext,
        Stream plaintext,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        ArgumentNullException.ThrowIfNull(dataEncryptionKey);
        ArgumentNullException.ThrowIfNull(ciphertext);
        ArgumentNullException.ThrowIfNull(plaintext);

        var cipher = PayloadCipher(forEncryption: false, dataEncryptionKey, envelope.PayloadNonce, envelope.AssociatedData());
        using var ciphertextHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var plaintextHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var input = ArrayPool<byte>.Shared.Rent(BufferSize);
        var output = ArrayPool<byte>.Shared.Rent(BufferSize + (4 * TagBytes));
        try
        {
            long received = 0;
            int read;
            while ((read = await ciphertext.ReadAsync(input.AsMemory(0, BufferSize), cancellationToken)) > 0)
            {
                received += read;
                if (received > envelope.PlaintextSize)
                {
                    throw SizeMismatch($"More ciphertext arrived than plaintext_size ({envelope.PlaintextSize} bytes).");
                }

                ciphertextHash.AppendData(input, 0, read);
                var produced = cipher.ProcessBytes(input, 0, read, output, 0);
                plaintextHash.AppendData(output, 0, produced);
                await plaintext.WriteAsync(output.AsMemory(0, produced), cancellationToken);
            }

            if (received != envelope.PlaintextSize)
            {
                throw SizeMismatch($"Received {received} bytes of ciphertext; plaintext_size is {envelope.PlaintextSize}.");
            }

            int last = FinishPayload(cipher, envelope.PayloadTag, output);
            plaintextHash.AppendData(output, 0, last);
            await plaintext.WriteAsync(output.AsMemory(0, last), cancellationToken);

            var plaintextSha = VerifiedPlaintextSha256(plaintextHash, envelope.PlaintextSha256);
            return new DecryptedMedia("", plaintextSha, received, Convert.ToHexStringLower(ciphertextHash.GetHashAndReset()), received);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(output);
            ArrayPool<byte>.Shared.Return(input);
            ArrayPool<byte>.Shared.Return(output);
        }
    }

    /// <summary>
    /// The envelope's metadata before sealing: the AAD is computed from it, so the wrapped key and the
    /// payload tag are zero-filled placeholders of their final sizes until encryption yields them.
    /// </summary>
    private static MediaEnvelope Unsealed(EnvelopeIdentity identity, X25519PublicKeyParameters recipient, EnvelopeMaterial material, string sha256, long size) =>
        new()
        {
            TransferKey = identity.TransferKey,
            SourceNodeKey = identity.SourceNodeKey,
            SourceCenterKey = identity.SourceCenterKey,
            TargetNodeKey = identity.TargetNodeKey,
            ResourceKind = identity.ResourceKind,
            ResourceHash = identity.ResourceHash,
            ProcessedMediaHash = sha256,
            TransferMode = identity.TransferMode,
            MediaRole = identity.MediaRole,
            PlaintextSha256 = sha256,
            PlaintextSize = size,
            RecipientKeyId = X25519Keys.KeyId(recipient),
            EphemeralPublicKey = material.EphemeralKey.GeneratePublicKey().GetEncoded(),
            WrapSalt = material.WrapSalt,
            WrapNonce = material.WrapNonce,
            WrappedDataEncryptionKey = new byte[48],
            PayloadNonce = material.PayloadNonce,
            PayloadTag = new byte[TagBytes],
        };

    private static GcmBlockCipher PayloadCipher(bool forEncryption, byte[] dataEncryptionKey, byte[] nonce, byte[] aad)
    {
        var cipher = new GcmBlockCipher(new Org.BouncyCastle.Crypto.Engines.AesEngine());
        cipher.Init(forEncryption, new AeadParameters(new KeyParameter(dataEncryptionKey), TagBytes * 8, nonce, aad));
        return cipher;
    }

    /// <summary>
    /// Feeds the tag that travels in the metadata to the decrypting cipher and finishes it into
    /// <paramref name="output"/>; returns the number of final plaintext bytes written there.
    /// </summary>
    private static int FinishPayload(GcmBlockCipher cipher, byte[] payloadTag, byte[] output)
    {
        try
        {
            var tagged = cipher.ProcessBytes(payloadTag, 0, TagBytes, output, 0);
            return tagged + cipher.DoFinal(output, tagged);
        }
        catch (InvalidCipherTextException)
        {
            throw new EnvelopeException("authentication_failed", "payload_decrypt", "The media does not authenticate: the ciphertext, its nonce or tag, or the metadata was altered.", "payload_tag");
        }
    }

    /// <summary>Returns the plaintext's SHA-256 in lower-case hex once it matches <paramref name="expected"/>.</summary>
    private static string VerifiedPlaintextSha256(IncrementalHash plaintextHash, string expected)
    {
        var plaintextSha = Convert.ToHexStringLower(plaintextHash.GetHashAndReset());
        if (!string.Equals(plaintextSha, expected, StringComparison.Ordinal))
        {
            throw new EnvelopeException("plaintext_hash_mismatch", "payload_verify", "The decrypted media's SHA-256 differs from plaintext_sha256.", "plaintext_sha256");
        }

        return plaintextSha;
    }

    private static EnvelopeException SizeMismatch(string message) => new("size_mismatch", "payload_receive", message, "plaintext_size");

    /// <summary>Reads all of <paramref name="source"/>, hashing and/or encrypting; returns the bytes read and the cipher's final output.</summary>
    private static async Task<(long Read, byte[] Final)> PumpAsync(Stream source, GcmBlockCipher? cipher, IncrementalHash? hash, Stream? sink, CancellationToken cancellationToken)
    {
        var input = ArrayPool<byte>.Shared.Rent(BufferSize);
        var output = cipher is null ? null : ArrayPool<byte>.Shared.Rent(BufferSize + (4 * TagBytes));
        try
        {
            long total = 0;
            int read;
            while ((read = await source.ReadAsync(input.AsMemory(0, BufferSize), cancellationToken)) > 0)
            {
                total += read;
                hash?.AppendData(input, 0, read);
                if (cipher is not null)
                {
                    var produced = cipher.ProcessBytes(input, 0, read, output!, 0);
                    await sink!.WriteAsync(output.AsMemory(0, produced), cancellationToken);
                }
            }

            if (cipher is null)
            {
                return (total, []);
            }

            var final = new byte[cipher.GetOutputSize(0)];
            var length = cipher.DoFinal(final, 0);
            return (total, final[..length]);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(input);
            if (output is not null)
            {
                ArrayPool<byte>.Shared.Return(output);
            }
        }
    }
}
