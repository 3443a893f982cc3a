using System.Buffers;
using System.Security.Cryptography;
using LxAnnotate.Node.Files;
using Microsoft.Data.Sqlite;

namespace LxAnnotate.Node.Outbox;

/// <summary>
/// SHA-256 of files the operator keeps (push), cached by the file's identity (path, size, inode, mtime,
/// ctime): a file pushed again unchanged is not read again.
/// </summary>
internal sealed class HashCache(OutboxDatabase database)
{
    private const int BufferSize = 1024 * 1024;

    /// <summary>
    /// SHA-256 and size of a file, from the cache when the file's identity (path, size, inode, mtime, ctime)
    /// is unchanged since it was hashed; a hash is cached only when the identity did not move while hashing.
    /// </summary>
    public async Task<(string Sha256, long Size)> HashCachedAsync(string path, CancellationToken cancellationToken)
    {
        var (sha256, size, toCache) = await LookUpOrHashAsync(path, cancellationToken);
        if (toCache is not null)
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            await StoreAsync(connection, [(toCache, sha256)], cancellationToken);
        }

        return (sha256, size);
    }

    /// <summary>
    /// The cached hash of an unchanged file, else a fresh one plus the identity to cache it under (null: do not cache).
    /// <paramref name="hashOtherwise"/>, when given, is asked first for a file that is not cached: a SHA-256 it returns
    /// (computed by a read of its own, e.g. while sending the file) stands for the file of that identity; null means hash it here.
    /// </summary>
    public async Task<(string Sha256, long Size, FileIdentity? ToCache)> LookUpOrHashAsync(
        string path, CancellationToken cancellationToken, Func<FileIdentity, CancellationToken, Task<string?>>? hashOtherwise = null)
    {
        var before = FileIdentity.Of(path);
        if (before is null)
        {
            var (plainSha, plainSize) = await HashAsync(path, cancellationToken);
            return (plainSha, plainSize, null);
        }

        if (await CachedAsync(before, cancellationToken) is { } cached)
        {
            return (cached, before.Size, null);
        }

        var (sha256, size) = hashOtherwise is not null && await hashOtherwise(before, cancellationToken) is { } other
            ? (other, before.Size)
            : await HashAsync(path, cancellationToken);
        return (sha256, size, FileIdentity.Of(path) == before && size == before.Size ? before : null);
    }

    /// <summary>The SHA-256 cached for a file of exactly this identity, or null.</summary>
    private async Task<string?> CachedAsync(FileIdentity identity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(identity);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var lookup = connection.CreateCommand();
        lookup.CommandText = """
            SELECT sha256 FROM hash_cache
            WHERE path = $path AND size_bytes = $size AND inode = $inode AND mtime_ns = $mtime AND ctime_ns = $ctime
            """;
        AddIdentity(lookup, identity);
        return await lookup.ExecuteScalarAsync(cancellationToken) as string;
    }

    /// <summary>Stores hashes in the cache, all in one transaction.</summary>
    public static async Task StoreAsync(SqliteConnection connection, IReadOnlyList<(FileIdentity Identity, string Sha256)> entries, CancellationToken cancellationToken)
    {
        if (entries.Count == 0)
        {
            return;
        }

        await OutboxDatabase.InTransactionAsync(connection, async () =>
        {
            foreach (var (identity, sha256) in entries)
            {
                await using var store = connection.CreateCommand();
                store.CommandText = """
                    INSERT INTO hash_cache (path, size_bytes, inode, mtime_ns, ctime_ns, sha256) VALUES ($path, $size, $inode, $mtime, $ctime, $sha)
                    ON CONFLICT (path) DO UPDATE SET size_bytes = $size, inode = $inode, mtime_ns = $mtime, ctime_ns = $ctime, sha256 = $sha
                    """;
                AddIdentity(store, identity);
                store.Parameters.AddWithValue("$sha", sha256);
                await store.ExecuteNonQueryAsync(cancellationToken);
            }
        }, cancellationToken);
    }

    /// <summary>SHA-256 and size of a file, read once from start to end.</summary>
    public static async Task<(string Sha256, long Size)> HashAsync(string path, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
            long size = 0;
            int read;
            while ((read = await file.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                size += read;
            }

            return (Convert.ToHexStringLower(hash.GetHashAndReset()), size);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void AddIdentity(SqliteCommand command, FileIdentity identity)
    {
        command.Parameters.AddWithValue("$path", identity.Path);
        command.Parameters.AddWithValue("$size", identity.Size);
        command.Parameters.AddWithValue("$inode", identity.Inode);
        command.Parameters.AddWithValue("$mtime", identity.ModifiedNs);
        command.Parameters.AddWithValue("$ctime", identity.ChangedNs);
    }
}
