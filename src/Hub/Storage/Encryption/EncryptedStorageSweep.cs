using System.Security.Cryptography;
using LxAnnotate.Hub.Data;
using LxAnnotate.Hub.Ingest;
using LxAnnotate.Shared.Configuration;
using LxAnnotate.Shared.Storage;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.Hub.Storage.Encryption;

/// <summary>
/// Finds and fixes files under <c>STORAGE_DIR/centers</c> that are not encrypted under the current master key
/// (<c>lxa-hub reencrypt</c>). A plaintext artifact is encrypted to its <c>.lxenc</c> name, verified, its jobs are
/// pointed at it (class <c>encrypted</c>), then the plaintext is deleted; a <c>.lxenc</c> file is rewritten in place.
/// </summary>
public sealed class EncryptedStorageSweep(DataPaths paths, MasterKeyRing keyRing, LxaDbContext db)
{
    /// <summary>Extensions <see cref="ContentStore"/> gives the sensitive content types it names.</summary>
    private static readonly string[] SensitiveExtensions = [".pdf", ".txt", ".json"];

    public IReadOnlyList<SweepFinding> Scan()
    {
        var centers = Path.Combine(paths.StorageDir, "centers");
        if (!Directory.Exists(centers))
        {
            return [];
        }

        return Directory.EnumerateFiles(centers, "*", SearchOption.AllDirectories)
            .Where(f => !Path.GetFileName(f).StartsWith('.'))
            .Order(StringComparer.Ordinal)
            .Select(f => Classify(f) is { } kind ? new SweepFinding(Path.GetRelativePath(paths.StorageDir, f), kind) : null)
            .OfType<SweepFinding>()
            .ToList();
    }

    /// <summary>Rewrites one finding under the current key; returns the file's (possibly new) relative path.</summary>
    /// <exception cref="InvalidOperationException">The finding is <see cref="SweepFindingKind.Unreadable"/>.</exception>
    public async Task<string> ApplyAsync(SweepFinding finding, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(finding);
        if (finding.Kind == SweepFindingKind.Unreadable)
        {
            throw new InvalidOperationException("An unreadable file is never rewritten.");
        }

        var relative = finding.RelativePath;
        var file = Path.Combine(paths.StorageDir, relative);
        if (finding.Kind == SweepFindingKind.RetiringKey || relative.EndsWith(ContentStore.EncryptedSuffix, StringComparison.Ordinal))
        {
            await EncryptedFile.ReencryptInPlaceAsync(file, keyRing, cancellationToken: cancellationToken);
            return relative;
        }

        var targetRelative = relative + ContentStore.EncryptedSuffix;
        var target = Path.Combine(paths.StorageDir, targetRelative);
        string sha256;
        await using (var source = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, ContentStore.BufferSize, useAsync: true))
        {
            // An encrypted copy may already exist (same content ingested again after the key was configured).
            sha256 = File.Exists(target)
                ? Convert.ToHexStringLower(await SHA256.HashDataAsync(source, cancellationToken))
                : (await EncryptedFile.WriteAsync(source, target, keyRing, cancellationToken: cancellationToken)).PlaintextSha256;
        }

        // The encrypted file must decrypt to exactly the plaintext before anything points at it.
        if (!string.Equals(await EncryptedFile.Sha256Async(target, keyRing, cancellationToken: cancellationToken), sha256, StringComparison.Ordinal))
        {
            throw new IOException($"{targetRelative} does not decrypt to the content of {relative}; the plaintext was kept.");
        }

        await db.UploadJobs
            .Where(j => j.StoragePath == relative)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.StoragePath, targetRelative).SetProperty(j => j.StorageEncoding, StorageClasses.Encrypted), cancellationToken);
        File.Delete(file);
        NativeFileSystem.FsyncDirectory(Path.GetDirectoryName(file)!);
        return targetRelative;
    }

    private SweepFindingKind? Classify(string file)
    {
        if (!LxEnc01.IsEncryptedFile(file))
        {
            return file.EndsWith(ContentStore.EncryptedSuffix, StringComparison.Ordinal)
                || SensitiveExtensions.Contains(Path.GetExtension(file), StringComparer.Ordinal)
                ? SweepFindingKind.Plaintext
                : null;
        }

        try
        {
            using var reader = LxEnc01ReadStream.OpenFile(file, keyRing);
            return reader.KeyIndex > 0 ? SweepFindingKind.RetiringKey : null;
        }
        catch (EncryptedStorageException)
        {
            return SweepFindingKind.Unreadable;
        }
    }
}
