using System.Security.Cryptography;
using System.Text;
using LxAnnotate.Hub.Ingest;
using LxAnnotate.Hub.Storage;
using LxAnnotate.Hub.Storage.Encryption;

namespace LxAnnotate.Hub.PythonImport;

/// <summary>
/// Copies source content into <c>STORAGE_DIR</c>: staged under <c>incoming/</c>, checked against the SHA-256 measured
/// on the source, renamed into place, then read back and checked again. A target that is already there is only
/// checked, so a run after a crash continues where the last one stopped. The source is only ever opened for reading.
/// </summary>
internal sealed class ImportFileCopier(ContentStore store, EncryptedArtifactStore encrypted)
{
    public bool CanDecrypt => encrypted.IsConfigured;

    public bool Exists(string relativePath) => File.Exists(store.AbsolutePath(relativePath));

    /// <summary>Measures a source file: an LXENC01 file is decrypted (with the configured master key) to hash its plaintext.</summary>
    public async Task<ImportSource> InspectFileAsync(string absolutePath, CancellationToken cancellationToken)
    {
        if (LxEnc01.IsEncryptedFile(absolutePath))
        {
            var ring = encrypted.KeyRing;
            Stream Plain() => LxEnc01ReadStream.OpenFile(absolutePath, ring, null);
            var (sha, size) = await HashAsync(Plain(), cancellationToken);
            return new ImportSource(Plain, () => OpenRead(absolutePath), sha, size);
        }

        var (plainSha, plainSize) = await HashAsync(OpenRead(absolutePath), cancellationToken);
        return new ImportSource(() => OpenRead(absolutePath), null, plainSha, plainSize);
    }

    public static ImportSource FromText(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return new ImportSource(() => new MemoryStream(bytes, writable: false), null, Convert.ToHexStringLower(SHA256.HashData(bytes)), bytes.Length);
    }

    /// <returns>True when bytes were copied, false when the target was already there with the same content.</returns>
    public async Task<bool> CopyAsync(ImportSource source, string relativePath, string storageClass, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        var target = store.AbsolutePath(relativePath);
        if (File.Exists(target))
        {
            await VerifyAsync(source, relativePath, storageClass, cancellationToken);
            return false;
        }

        var isEncrypted = string.Equals(storageClass, StorageClasses.Encrypted, StringComparison.Ordinal);
        var asIs = isEncrypted && source.OpenCiphertext is not null;
        StagedContent staged;
        await using (var content = asIs ? source.OpenCiphertext!() : source.OpenPlaintext())
        {
            staged = isEncrypted && !asIs
                ? await encrypted.StageAsync(content, long.MaxValue, cancellationToken)
                : await store.StageAsync(content, long.MaxValue, durable: true, cancellationToken);
        }

        if (!asIs && (!string.Equals(staged.Sha256, source.Sha256, StringComparison.Ordinal) || staged.SizeBytes != source.SizeBytes))
        {
            ContentStore.DeleteQuietly(staged.Path);
            throw new IOException($"{relativePath}: the source changed while it was copied (SHA-256 differs)");
        }

        store.Commit(staged, relativePath);
        await VerifyAsync(source, relativePath, storageClass, cancellationToken);
        return true;
    }

    /// <summary>Reads the stored copy back (decrypting it in the encrypted class) and compares its SHA-256 with the source's.</summary>
    private async Task VerifyAsync(ImportSource source, string relativePath, string storageClass, CancellationToken cancellationToken)
    {
        Stream stored = string.Equals(storageClass, StorageClasses.Encrypted, StringComparison.Ordinal)
            ? encrypted.OpenRead(relativePath)
            : OpenRead(store.AbsolutePath(relativePath));
        var (sha, size) = await HashAsync(stored, cancellationToken);
        if (!string.Equals(sha, source.Sha256, StringComparison.Ordinal) || size != source.SizeBytes)
        {
            throw new IOException($"{relativePath}: the stored copy does not match the source (SHA-256 {sha}, expected {source.Sha256})");
        }
    }

    private static FileStream OpenRead(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read, ContentStore.BufferSize, useAsync: true);

    private static async Task<(string Sha256, long Size)> HashAsync(Stream stream, CancellationToken cancellationToken)
    {
        await using (stream)
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[81920];
            long size = 0;
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                size += read;
            }

            return (Convert.ToHexStringLower(hash.GetHashAndReset()), size);
        }
    }
}
