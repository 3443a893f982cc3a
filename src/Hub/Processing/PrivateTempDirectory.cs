namespace LxAnnotate.Hub.Processing;

/// <summary>
/// A directory only this user can read (mode 0700), for intermediate frames, crops and page rasters, deleted
/// with everything in it on dispose. Created under <paramref name="parent"/> when given (e.g. a directory on
/// the protected data volume), else under the system temp directory.
/// </summary>
internal sealed class PrivateTempDirectory : IDisposable
{
    public PrivateTempDirectory(string? parent = null)
    {
        if (parent is null)
        {
            Path = Directory.CreateTempSubdirectory("lxa-proc-").FullName;
        }
        else
        {
            Path = System.IO.Path.Combine(parent, "lxa-proc-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    /// <summary>Full path of the directory.</summary>
    public string Path { get; }

    /// <summary>A new file name inside the directory (not created).</summary>
    public string NewFile(string extension) => System.IO.Path.Combine(Path, Guid.NewGuid().ToString("N") + extension);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Already gone.
        }
    }
}
