using System.Buffers;
using System.Security.Cryptography;
using LxAnnotate.Shared.Configuration;
using LxAnnotate.Shared.Storage;

namespace LxAnnotate.Hub.Storage;

/// <summary>
/// Managed storage on disk: stages incoming bytes under <c>STORAGE_DIR/incoming</c> while hashing, and
/// moves them into <c>STORAGE_DIR/centers/&lt;center_key&gt;/…</c> by an atomic rename on the same
/// filesystem. Stored paths are content-addressed, so identical bytes of one center share one file.
/// </summary>
public sealed class ContentStore(DataPaths paths)
{
    public const int BufferSize = 1024 * 1024;

    private const UnixFileMode FileMode0640 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;

    private const UnixFileMode DirectoryMode0750 =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute;

    public string StorageRoot => paths.StorageDir;

    public string IncomingDir => paths.IncomingDir;

    /// <summary>Streams <paramref name="content"/> to a new staged file; never holds more than one buffer in memory.</summary>
    /// <exception cref="ContentTooLargeException">More than <paramref name="maxBytes"/> arrived; nothing is kept.</exception>
    public Task<StagedContent> StageAsync(Stream content, long maxBytes, CancellationToken cancellationToken) =>
        StageAsync(content, maxBytes, durable: true, cancellationToken);

    /// <summary>
    /// As <see cref="StageAsync(Stream, long, CancellationToken)"/>; with <paramref name="durable"/> false the file is
    /// not fsynced (<see cref="StagedContent.Durable"/>): the ingest core does it, or encrypts the bytes into a new file.
    /// </summary>
    public async Task<StagedContent> StageAsync(Stream content, long maxBytes, bool durable, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);

        EnsureDirectory(paths.IncomingDir);
        var path = Path.Combine(paths.IncomingDir, $"stage-{Guid.NewGuid():N}.part");
        return await StageToFileAsync(content, path, maxBytes, FileMode0640, durable, cancellationToken);
    }

    /// <summary>fsync of a staged file that was written without it.</summary>
    public static void SyncFile(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read, 1);
        file.Flush(flushToDisk: true);
    }

    /// <summary>
    /// Streams <paramref name="content"/> into the new file <paramref name="path"/> (created with
    /// <paramref name="mode"/>), hashing on the way and fsyncing at the end; never more than one buffer in memory.
    /// </summary>
    /// <exception cref="ContentTooLargeException">More than <paramref name="maxBytes"/> arrived; the file is removed.</exception>
    public static Task<StagedContent> StageToFileAsync(Stream content, string path, long maxBytes, UnixFileMode mode, CancellationToken cancellationToken) =>
        StageToFileAsync(content, path, maxBytes, mode, durable: true, cancellationToken);

    private static async Task<StagedContent> StageToFileAsync(Stream content, string path, long maxBytes, UnixFileMode mode, bool durable, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long size = 0;
            await using (var file = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
                BufferSize = 0,
                Options = FileOptions.Asynchronous,
                UnixCreateMode = mode,
            }))
            {
                int read;
                while ((read = await content.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken)) > 0)
                {
                    size += read;
                    if (size > maxBytes)
                    {
                        throw new ContentTooLargeException(maxBytes);
                    }

                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }

                // fsync has no asynchronous form; the bytes must be on disk before anyone is told they are stored.
                if (durable)
                {
#pragma warning disable CA1849
                    file.Flush(flushToDisk: true);
#pragma warning restore CA1849
                }
            }

            return new StagedContent(path, Convert.ToHexStringLower(hash.GetHashAndReset()), size, durable);
        }
        catch
        {
            DeleteQuietly(path);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Storage path, relative to <c>STORAGE_DIR</c>, that content with this hash and type has in a center.</summary>
    public static string RelativePathFor(string centerKey, string sha256, string contentType) =>
        Path.Combine("centers", centerKey, sha256[..2], sha256 + ExtensionFor(contentType));

    /// <summary>
    /// Storage path of content in a storage class: encrypted artifacts carry <see cref="EncryptedSuffix"/>, so a
    /// plaintext and an encrypted copy of the same content never share (or overwrite) one file.
    /// </summary>
    public static string RelativePathFor(string centerKey, string sha256, string contentType, string storageClass) =>
        RelativePathFor(centerKey, sha256, contentType)
        + (string.Equals(storageClass, Ingest.StorageClasses.Encrypted, StringComparison.Ordinal) ? EncryptedSuffix : "");

    /// <summary>File name suffix of LXENC01 artifacts (after the content type's extension, e.g. <c>.pdf.lxenc</c>).</summary>
    public const string EncryptedSuffix = ".lxenc";

    public string AbsolutePath(string relativePath) => Path.Combine(paths.StorageDir, relativePath);

    /// <summary>
    /// Moves the staged file to its final place. If identical content is already there (same center,
    /// same hash), the staged copy is dropped instead. Returns once the rename is durable.
    /// </summary>
    public void Commit(StagedContent staged, string relativePath)
    {
        ArgumentNullException.ThrowIfNull(staged);

        var target = AbsolutePath(relativePath);
        var directory = Path.GetDirectoryName(target)!;
        EnsureDirectory(directory);
        try
        {
            File.Move(staged.Path, target, overwrite: false);
        }
        catch (IOException) when (File.Exists(target))
        {
            // Same path means same center and same SHA-256: the bytes are already stored.
            DeleteQuietly(staged.Path);
            return;
        }

        NativeFileSystem.FsyncDirectory(directory);
    }

    public static void DeleteQuietly(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    internal void EnsureDirectory(string directory)
    {
        if (Directory.Exists(directory))
        {
            return;
        }

        // Create each missing level with 0750 and make the new entries durable in their parents.
        var parent = Path.GetDirectoryName(directory);
        if (parent is not null && !Directory.Exists(parent))
        {
            EnsureDirectory(parent);
        }

        Directory.CreateDirectory(directory, DirectoryMode0750);
        if (parent is not null && parent.StartsWith(paths.StorageDir, StringComparison.Ordinal))
        {
            NativeFileSystem.FsyncDirectory(parent);
        }
    }

    private static string ExtensionFor(string contentType) => contentType switch
    {
        "application/pdf" => ".pdf",
        "video/mp4" => ".mp4",
        "video/quicktime" => ".mov",
        "video/x-msvideo" => ".avi",
        "video/x-ms-wmv" => ".wmv",
        "video/x-matroska" => ".mkv",
        "video/webm" => ".webm",
        "text/plain" => ".txt",
        "application/json" => ".json",
        _ => ".bin",
    };
}
