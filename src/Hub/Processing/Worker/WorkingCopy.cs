using LxAnnotate.Hub.Ingest;
using LxAnnotate.Hub.Storage.Encryption;
using LxAnnotate.Shared.Configuration;

namespace LxAnnotate.Hub.Processing.Worker;

/// <summary>
/// The plaintext file a job's stages read. A <c>managed</c> upload is read where it is stored. An
/// <c>encrypted</c> (LXENC01) upload is decrypted, authenticated chunk by chunk, into a private (0700) folder
/// under <c>STORAGE_DIR/incoming/processing/</c> — on the protected root, never the system temp directory —
/// and removed when the attempt ends, whatever its outcome. A missing stored file stays missing, so the
/// pipeline reports it as <c>lost</c>.
/// </summary>
internal sealed class WorkingCopy : IAsyncDisposable
{
    private const UnixFileMode PrivateDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly string? directory;

    private WorkingCopy(string path, string? directory)
    {
        Path = path;
        this.directory = directory;
    }

    /// <summary>Absolute path of the plaintext the stages read.</summary>
    public string Path { get; }

    /// <summary>The folder decrypted copies are made in (one subfolder per job attempt).</summary>
    public static string Root(DataPaths paths) => System.IO.Path.Join(paths.StorageDir, "incoming", "processing");

    public static async Task<WorkingCopy> OpenAsync(
        DataPaths paths,
        string storagePath,
        string storageClass,
        long sizeBytes,
        Guid jobId,
        EncryptedArtifactStore encrypted,
        CancellationToken cancellationToken)
    {
        var stored = System.IO.Path.Join(paths.StorageDir, storagePath);
        if (!string.Equals(storageClass, StorageClasses.Encrypted, StringComparison.Ordinal) || !File.Exists(stored))
        {
            return new WorkingCopy(stored, directory: null);
        }

        if (!encrypted.IsConfigured)
        {
            throw new EncryptedStorageException(
                "the stored upload is encrypted (LXENC01) but this worker has no master key (set LX_ANNOTATE_MASTER_KEY_FILE)");
        }

        var root = Root(paths);
        Directory.CreateDirectory(root, PrivateDirectory);
        var directory = System.IO.Path.Join(root, jobId.ToString("N") + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory, PrivateDirectory);
        var copy = new WorkingCopy(System.IO.Path.Join(directory, "source" + PlaintextExtension(storagePath)), directory);
        try
        {
            await using var source = encrypted.OpenRead(storagePath, sizeBytes);
            await using var target = new FileStream(copy.Path, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = PrivateFile,
                Options = FileOptions.Asynchronous,
            });
            await source.CopyToAsync(target, 1024 * 1024, cancellationToken);
            return copy;
        }
        catch
        {
            await copy.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync()
    {
        if (directory is not null && Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>The extension the stages see (<c>.pdf</c> of <c>…/abc.pdf.lxenc</c>), since tools pick formats by it.</summary>
    private static string PlaintextExtension(string storagePath)
    {
        var name = System.IO.Path.GetFileName(storagePath);
        if (name.EndsWith(".lxenc", StringComparison.Ordinal))
        {
            name = name[..^".lxenc".Length];
        }

        return System.IO.Path.GetExtension(name);
    }
}
