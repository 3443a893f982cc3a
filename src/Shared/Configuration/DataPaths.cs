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
    // rwxr-x---: the service group may read what the service writes, nobody else may look.
    private const UnixFileMode ServiceOnly =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
        UnixFileMode.GroupRead | UnixFileMode.GroupExecute;

    // rwxrwx---: drop folders, where members of the service group put files for ingest.
    private const UnixFileMode DropZone = ServiceOnly | UnixFileMode.GroupWrite;

    /// <summary>
    /// Creates the folders that are missing. Folders that already exist keep their mode: the
    /// operator (or the host bootstrap) may have tightened or shared them deliberately.
    /// </summary>
    public void EnsureCreated()
    {
        CreateIfMissing(Root, ServiceOnly);
        CreateIfMissing(StorageDir, ServiceOnly);
        CreateIfMissing(IncomingDir, ServiceOnly);
        CreateIfMissing(RunDir, ServiceOnly);
        CreateIfMissing(QuarantineDir, ServiceOnly);
        CreateIfMissing(LogsDir, ServiceOnly);

        // The parent only needs to be traversable for the group; write access stays on the
        // drop folders themselves so nothing can be dropped beside them.
        CreateIfMissing(ImportRoot, ServiceOnly);
        CreateIfMissing(VideoImport, DropZone);
        CreateIfMissing(ReportImport, DropZone);
        CreateIfMissing(PreanonymizedImport, DropZone);
        CreateIfMissing(SapImport, DropZone);
        CreateIfMissing(SapImportProcessed, DropZone);
        CreateIfMissing(SapImportFailed, DropZone);
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
