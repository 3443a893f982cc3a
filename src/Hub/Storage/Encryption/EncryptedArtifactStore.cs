using LxAnnotate.Shared.Configuration;

namespace LxAnnotate.Hub.Storage.Encryption;

/// <summary>
/// Encrypted artifacts under <c>STORAGE_DIR</c>: writes LXENC01 files atomically (temp file, fsync, rename) and opens
/// them as seekable plaintext streams. Plaintext never reaches the disk through this type. Paths are relative to
/// <c>STORAGE_DIR</c> and may not leave it.
/// </summary>
public sealed class EncryptedArtifactStore(ContentStore store, EncryptionSettings encryption)
{
    /// <summary>Whether a master key is configured; without one, every operation here fails with a configuration error.</summary>
    public bool IsConfigured => encryption.KeyRing is not null;

    public MasterKeyRing KeyRing => encryption.RequireKeyRing();

    /// <summary>
    /// The ring an artifact of <paramref name="contentType"/> is sealed under before any byte of it reaches the disk
    /// (the ingest core's class decision: sensitive types whenever a master key is configured), or null when it is
    /// kept as it is.
    /// </summary>
    public MasterKeyRing? KeyRingFor(string contentType) =>
        Ingest.StorageClasses.Decide(Ingest.StorageClasses.Managed, contentType, IsConfigured) == Ingest.StorageClasses.Encrypted ? KeyRing : null;

    /// <summary>Encrypts <paramref name="plaintext"/> to <paramref name="relativePath"/> and returns its plaintext length and SHA-256.</summary>
    public async Task<EncryptedWriteResult> WriteAsync(Stream plaintext, string relativePath, bool overwrite = false, CancellationToken cancellationToken = default)
    {
        var ring = KeyRing;
        var target = AbsolutePath(relativePath);
        store.EnsureDirectory(Path.GetDirectoryName(target)!);
        return await EncryptedFile.WriteAsync(plaintext, target, ring, overwrite, cancellationToken: cancellationToken);
    }

    /// <summary>Opens an encrypted artifact for reading (sequential or by range).</summary>
    /// <param name="expectedPlaintextLength">The recorded size (e.g. <c>UploadJob.SizeBytes</c>); detects a file cut at a record boundary.</param>
    public LxEnc01ReadStream OpenRead(string relativePath, long? expectedPlaintextLength = null) =>
        LxEnc01ReadStream.OpenFile(AbsolutePath(relativePath), KeyRing, expectedPlaintextLength);

    /// <summary>
    /// Encrypts incoming bytes into a staged file under <c>STORAGE_DIR/incoming</c>, hashing the plaintext, so
    /// <see cref="ContentStore.Commit"/> can move it into place. The staged hash and size are the plaintext's.
    /// </summary>
    /// <exception cref="ContentTooLargeException">More than <paramref name="maxBytes"/> arrived; nothing is kept.</exception>
    public async Task<StagedContent> StageAsync(Stream content, long maxBytes, CancellationToken cancellationToken)
    {
        var ring = KeyRing;
        store.EnsureDirectory(store.IncomingDir);
        var path = Path.Combine(store.IncomingDir, $"stage-{Guid.NewGuid():N}.lxenc.part");
        var written = await EncryptedFile.WriteNewAsync(content, path, ring, maxBytes: maxBytes, cancellationToken: cancellationToken);
        return new StagedContent(path, written.PlaintextSha256, written.PlaintextLength, Durable: true, Encrypted: true);
    }

    /// <summary>
    /// Encrypts an already staged plaintext file (a boundary that staged before the class was known) into a new
    /// staged file, checks the hash is unchanged, and deletes the plaintext.
    /// </summary>
    public async Task<StagedContent> EncryptStagedAsync(StagedContent plaintext, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        try
        {
            StagedContent encrypted;
            await using (var source = new FileStream(plaintext.Path, FileMode.Open, FileAccess.Read, FileShare.Read, ContentStore.BufferSize, useAsync: true))
            {
                encrypted = await StageAsync(source, long.MaxValue, cancellationToken);
            }

            if (!string.Equals(encrypted.Sha256, plaintext.Sha256, StringComparison.Ordinal) || encrypted.SizeBytes != plaintext.SizeBytes)
            {
                ContentStore.DeleteQuietly(encrypted.Path);
                throw new IOException("The staged file changed while it was being encrypted.");
            }

            return encrypted;
        }
        finally
        {
            ContentStore.DeleteQuietly(plaintext.Path);
        }
    }

    /// <summary>Absolute path of <paramref name="relativePath"/> under <c>STORAGE_DIR</c>; refuses paths that leave it.</summary>
    public string AbsolutePath(string relativePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(relativePath);
        var root = Path.GetFullPath(store.StorageRoot);
        var full = Path.GetFullPath(Path.Combine(root, relativePath));
        if (!full.StartsWith(root.TrimEnd('/') + "/", StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{relativePath}' is not a path inside STORAGE_DIR.", nameof(relativePath));
        }

        return full;
    }
}
