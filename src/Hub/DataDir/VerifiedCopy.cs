using System.Security.Cryptography;

namespace LxAnnotate.Hub.DataDir;

/// <summary>File copies that are hashed while read and checked against the copy afterwards.</summary>
internal static class VerifiedCopy
{
    private const int BufferSize = 1 << 20;

    /// <summary>Copies with its mode and modification time, flushed to disk; returns the SHA-256 of what was read.</summary>
    public static async Task<byte[]> CopyFileAsync(string from, string to, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[BufferSize];
        await using (var input = new FileStream(from, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan))
        await using (var copy = new FileStream(to, FileMode.Create, FileAccess.Write, FileShare.None, 1))
        {
            int read;
            while ((read = await input.ReadAsync(buffer, cancellationToken)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                await copy.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }

#pragma warning disable CA1849 // fsync has no asynchronous form.
            copy.Flush(flushToDisk: true);
#pragma warning restore CA1849
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(to, File.GetUnixFileMode(from));
        }

        File.SetLastWriteTimeUtc(to, File.GetLastWriteTimeUtc(from));
        return hash.GetHashAndReset();
    }

    public static async Task<(long Size, byte[] Hash)> HashAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.SequentialScan);
        var hash = await SHA256.HashDataAsync(stream, cancellationToken);
        return (stream.Length, hash);
    }

    /// <summary>Checks every copied entry under <paramref name="target"/> against the size and hash taken from the source.</summary>
    /// <exception cref="DataDirMigrationException">A link points elsewhere, or a file's size or SHA-256 differs.</exception>
    public static async Task VerifyAsync(
        string target, List<DataDirEntry> entries, Dictionary<string, byte[]> hashes, CancellationToken cancellationToken)
    {
        foreach (var entry in entries.Where(e => hashes.ContainsKey(e.RelativePath)))
        {
            var copy = Path.Join(target, entry.RelativePath);
            if (entry.Kind == DataDirEntryKind.SymbolicLink)
            {
                if (!string.Equals(new FileInfo(copy).LinkTarget, entry.LinkTarget, StringComparison.Ordinal))
                {
                    throw new DataDirMigrationException($"verification failed: link {entry.RelativePath} does not point to {entry.LinkTarget}");
                }

                continue;
            }

            var (size, hash) = await HashAsync(copy, cancellationToken);
            if (size != entry.Size)
            {
                throw new DataDirMigrationException($"verification failed: {entry.RelativePath} has {size} bytes in the target, {entry.Size} in the source");
            }

            if (!hash.AsSpan().SequenceEqual(hashes[entry.RelativePath]))
            {
                throw new DataDirMigrationException($"verification failed: SHA-256 of {entry.RelativePath} differs between source and target");
            }
        }
    }
}
