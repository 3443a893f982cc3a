namespace LxAnnotate.Shared.Configuration;

/// <summary>
/// The protected runtime tree. Paths are absolute and normalized (no trailing separator) as
/// configured; they are not rewritten to their symlink targets, so logs show what the
/// operator wrote.
/// </summary>
public sealed record DataPaths(
    string Root,
    string StorageDir,
    string ImportRoot,
    string VideoImport,
    string ReportImport,
    string PreanonymizedImport,
    string SapImport,
    string SapImportProcessed,
    string SapImportFailed,
    string QuarantineDir,
    string LogsDir,
    string RunDir,
    string IncomingDir)
{
    /// <summary>
    /// Creates the folders of <see cref="DataTreeLayout"/> that are missing, with their documented modes.
    /// Folders that already exist keep their mode: the operator (or the host bootstrap) may have tightened
    /// or shared them deliberately; <c>lxa-hub check</c> reports any that are looser than documented.
    /// </summary>
    public void EnsureCreated()
    {
        foreach (var entry in DataTreeLayout.Entries(this))
        {
            CreateIfMissing(entry.Path, entry.Mode);
        }
    }

    private static void CreateIfMissing(string path, UnixFileMode mode)
    {
        if (Directory.Exists(path))
        {
            return;
        }

        // Create missing ancestors one level at a time so each gets the same mode, instead of
        // whatever the process umask would give them.
        string? parent = Path.GetDirectoryName(path);
        if (parent is not null && !Directory.Exists(parent))
        {
            CreateIfMissing(parent, mode);
        }

        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        Directory.CreateDirectory(path, mode);

        // mkdir applies the umask (often 022), which would strip the group write bit the drop
        // folders need.
        File.SetUnixFileMode(path, mode);
    }
}
