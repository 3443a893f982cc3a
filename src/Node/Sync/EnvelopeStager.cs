using LxAnnotate.Node.Hosting;
using LxAnnotate.Node.Outbox;
using LxAnnotate.Shared.Envelope;

namespace LxAnnotate.Node.Sync;

/// <summary>
/// Encrypts an outbox item into a <c>hub_media_envelope_v1</c> envelope once, next to its outbox copy
/// (<c>&lt;file&gt;.envelope</c> ciphertext, <c>&lt;file&gt;.envelope.json</c> metadata), so every retry and
/// every resume sends the same ciphertext bytes. The metadata file is written last and marks the staging complete.
/// </summary>
internal sealed class EnvelopeStager(NodeSettings settings)
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>True when <c>LX_ANNOTATE_HUB_EXPORT_RECIPIENT_PUBLIC_KEY_FILE</c> is configured.</summary>
    public bool Enabled => settings.ExportRecipientPublicKey is not null;

    public static string CiphertextPath(OutboxItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return item.StoredPath + ".envelope";
    }

    public static string MetadataPath(OutboxItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return item.StoredPath + ".envelope.json";
    }

    /// <summary>Removes the staged envelope of a finished (delivered or refused) item.</summary>
    public static void Remove(OutboxItem item)
    {
        File.Delete(MetadataPath(item));
        File.Delete(CiphertextPath(item));
        File.Delete(CiphertextPath(item) + ".tmp");
    }

    /// <summary>The staged envelope of <paramref name="item"/> for the gRPC path, encrypting it first when none is staged for the current key.</summary>
    public Task<StagedEnvelope?> StageAsync(OutboxItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        return StageAsync(item, GrpcEnvelopeContract.Identity(SourceNodeKey(), item.CenterKey, item.ContentType, item.Sha256), cancellationToken);
    }

    /// <summary>
    /// The staged envelope of <paramref name="item"/> bound to <paramref name="identity"/> (the Python-era hub's
    /// transfer uses its own); a staging for another identity or key is redone.
    /// </summary>
    public async Task<StagedEnvelope?> StageAsync(OutboxItem item, EnvelopeIdentity identity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(identity);
        if (settings.ExportRecipientPublicKey is not { } recipient)
        {
            return null;
        }

        var ciphertextPath = CiphertextPath(item);
        var metadataPath = MetadataPath(item);
        if (await ExistingAsync(item, identity, recipient, cancellationToken) is { } staged)
        {
            return staged;
        }

        // Nothing staged, a half-written staging, or one for a key no longer configured: encrypt anew.
        Remove(item);
        var temp = ciphertextPath + ".tmp";
        MediaEnvelope envelope;
        await using (var ciphertext = new FileStream(temp, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Options = FileOptions.Asynchronous,
            BufferSize = 0,
            UnixCreateMode = OwnerOnly,
        }))
        {
            envelope = await EnvelopeCrypto.EncryptAsync(
                () => new FileStream(item.StoredPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan),
                ciphertext,
                recipient,
                identity,
                material: null,
                cancellationToken);
#pragma warning disable CA1849 // fsync has no asynchronous form.
            ciphertext.Flush(flushToDisk: true);
#pragma warning restore CA1849
        }

        if (!string.Equals(envelope.PlaintextSha256, item.Sha256, StringComparison.Ordinal))
        {
            File.Delete(temp);
            throw new IOException("The outbox copy no longer has the SHA-256 recorded for it.");
        }

        File.Move(temp, ciphertextPath, overwrite: true);
        var json = envelope.ToJson();
        await File.WriteAllTextAsync(metadataPath + ".tmp", json, cancellationToken);
        File.Move(metadataPath + ".tmp", metadataPath, overwrite: true);
        return new StagedEnvelope(ciphertextPath, json, envelope.FingerprintSha256());
    }

    /// <summary>The staging already on disk when it is complete and made for this item, identity and recipient key.</summary>
    private static async Task<StagedEnvelope?> ExistingAsync(OutboxItem item, EnvelopeIdentity identity, Org.BouncyCastle.Crypto.Parameters.X25519PublicKeyParameters recipient, CancellationToken cancellationToken)
    {
        var ciphertextPath = CiphertextPath(item);
        var metadataPath = MetadataPath(item);
        if (!File.Exists(metadataPath) || !File.Exists(ciphertextPath))
        {
            return null;
        }

        var existing = TryParse(await File.ReadAllTextAsync(metadataPath, cancellationToken));
        return existing is not null
            && string.Equals(existing.RecipientKeyId, X25519Keys.KeyId(recipient), StringComparison.Ordinal)
            && string.Equals(existing.PlaintextSha256, item.Sha256, StringComparison.Ordinal)
            && string.Equals(existing.TransferKey, identity.TransferKey, StringComparison.Ordinal)
            && string.Equals(existing.SourceCenterKey, identity.SourceCenterKey, StringComparison.Ordinal)
            && string.Equals(existing.TargetNodeKey, identity.TargetNodeKey, StringComparison.Ordinal)
            && new FileInfo(ciphertextPath).Length == item.SizeBytes
            ? new StagedEnvelope(ciphertextPath, existing.ToJson(), existing.FingerprintSha256())
            : null;
    }

    private static MediaEnvelope? TryParse(string json)
    {
        try
        {
            return MediaEnvelope.Parse(json);
        }
        catch (EnvelopeException)
        {
            return null;
        }
    }

    /// <summary>The node key the hub knows this node by: <c>LXA_NODE_KEY</c>, else its certificate's CN, else <c>local</c> (the hub's socket).</summary>
    private string SourceNodeKey()
    {
        if (!string.IsNullOrEmpty(settings.NodeKey))
        {
            return settings.NodeKey;
        }

        if (settings.CertificateFile is { } certificateFile)
        {
            // The certificate alone (its key stays in LXA_NODE_KEY_FILE).
            using var certificate = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(File.ReadAllText(certificateFile));
            var commonName = certificate.GetNameInfo(System.Security.Cryptography.X509Certificates.X509NameType.SimpleName, forIssuer: false);
            if (!string.IsNullOrEmpty(commonName))
            {
                return commonName;
            }
        }

        return "local";
    }
}
