using System.Security.Cryptography;
using LxAnnotate.Hub.Processing.Pipeline;
using LxAnnotate.Hub.Storage.Encryption;
using LxAnnotate.Hub.Storage;

namespace LxAnnotate.Hub.Processing.Sensitive;

/// <summary>
/// Writes files that hold patient data (report text, anonymized text and PDF, sensitive metadata) under
/// <c>STORAGE_DIR</c>. With a master key they are LXENC01 files (class <c>encrypted</c>, suffix <c>.lxenc</c>);
/// without one, which only a role that does not require encryption allows, they are plaintext files written
/// atomically (class <c>managed</c>), for a <c>STORAGE_DIR</c> on the operator's encrypted filesystem.
/// </summary>
internal sealed class SensitiveArtifactWriter(EncryptedArtifactStore encrypted)
{
    public const string EncryptedClass = "encrypted";

    public const string ManagedClass = "managed";

    public bool Encrypts => encrypted.IsConfigured;

    /// <param name="relativePath">Relative to <c>STORAGE_DIR</c>, without the <c>.lxenc</c> suffix (added when encrypted).</param>
    public async Task<ProducedArtifact> WriteAsync(string kind, Stream content, string relativePath, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (Encrypts)
        {
            var path = relativePath + ContentStore.EncryptedSuffix;
            var written = await encrypted.WriteAsync(content, path, overwrite: true, cancellationToken);
            return new ProducedArtifact(kind, EncryptedClass, path, written.PlaintextLength, written.PlaintextSha256);
        }

        var target = encrypted.AbsolutePath(relativePath);
        var directory = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        try
        {
            long length;
            string sha;
            await using (var file = new FileStream(temp, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Options = FileOptions.Asynchronous,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead,
            }))
            {
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                var buffer = new byte[81920];
                int read;
                length = 0;
                while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                    length += read;
                }

                await file.FlushAsync(cancellationToken);
                sha = Convert.ToHexStringLower(hash.GetHashAndReset());
            }

            File.Move(temp, target, overwrite: true);
            return new ProducedArtifact(kind, ManagedClass, relativePath, length, sha);
        }
        catch
        {
            ContentStore.DeleteQuietly(temp);
            throw;
        }
    }

    /// <summary>Opens a stored artifact as plaintext (decrypting an <c>encrypted</c> one).</summary>
    public Stream OpenRead(string storageClass, string relativePath) =>
        string.Equals(storageClass, EncryptedClass, StringComparison.Ordinal)
            ? encrypted.OpenRead(relativePath)
            : new FileStream(encrypted.AbsolutePath(relativePath), FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
}
