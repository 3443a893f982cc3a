namespace LxAnnotate.Shared.Configuration;

/// <summary>
/// The one list of directories of the protected runtime tree and their documented modes. <c>lxa-hub
/// init-data-dir</c>, first start (<see cref="DataPaths.EnsureCreated"/>), <c>lxa-hub check</c> and
/// <c>/readyz</c> all read it, and <c>deploy/tmpfiles.d/lx-annotate.conf</c> must list the same paths and
/// modes (docs/architecture.md, "Data tree").
/// </summary>
public static class DataTreeLayout
{
    /// <summary>rwxr-x---: the service group may read what the service writes, nobody else may look.</summary>
    public const UnixFileMode ServiceOnly =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
        UnixFileMode.GroupRead | UnixFileMode.GroupExecute;

    /// <summary>rwxrwx---: the import root and the drop folders, where members of the service group put files.</summary>
    public const UnixFileMode DropZone = ServiceOnly | UnixFileMode.GroupWrite;

    /// <summary>Folder under <c>STORAGE_DIR</c> holding the per-center managed files (and the media the hub serves).</summary>
    public const string CentersFolder = "centers";

    /// <summary>Parents before children, so creating in this order never needs a missing ancestor.</summary>
    public static IReadOnlyList<DataTreeEntry> Entries(DataPaths paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        return
        [
            new("root", paths.Root, ServiceOnly, DataTreeEntryKind.Root),
            new("storage", paths.StorageDir, ServiceOnly, DataTreeEntryKind.Storage),
            new("storage/incoming", paths.IncomingDir, ServiceOnly, DataTreeEntryKind.Storage),
            new("storage/centers", CentersDir(paths), ServiceOnly, DataTreeEntryKind.Storage),
            new("run", paths.RunDir, ServiceOnly, DataTreeEntryKind.Service),
            new("logs", paths.LogsDir, ServiceOnly, DataTreeEntryKind.Service),
            new("quarantine", paths.QuarantineDir, ServiceOnly, DataTreeEntryKind.Service),
            new("import", paths.ImportRoot, DropZone, DataTreeEntryKind.Import),
            new("import/video_import", paths.VideoImport, DropZone, DataTreeEntryKind.Import),
            new("import/report_import", paths.ReportImport, DropZone, DataTreeEntryKind.Import),
            new("import/preanonymized_import", paths.PreanonymizedImport, DropZone, DataTreeEntryKind.Import),
            new("import/sap_import", paths.SapImport, DropZone, DataTreeEntryKind.Import),
            new("import/sap_import_processed", paths.SapImportProcessed, DropZone, DataTreeEntryKind.Import),
            new("import/sap_import_failed", paths.SapImportFailed, DropZone, DataTreeEntryKind.Import),
        ];
    }

    /// <summary>
    /// The streamable media root: where the ingest core places files (<c>STORAGE_DIR/centers</c>) and from
    /// where protected media is served. It must share a filesystem with <c>STORAGE_DIR/incoming</c> so the
    /// final move is an atomic rename.
    /// </summary>
    public static string CentersDir(DataPaths paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        return Path.Join(paths.StorageDir, CentersFolder);
    }

    /// <summary>The path with every existing symlink resolved (a missing tail kept as written), without a trailing separator.</summary>
    /// <exception cref="IOException">A symlink loop.</exception>
    public static string RealPath(string path) => Path.TrimEndingDirectorySeparator(PathResolution.GetRealPath(path));

    /// <summary>Octal text of a mode's permission bits, e.g. <c>0750</c>.</summary>
    public static string Octal(UnixFileMode mode) =>
        "0" + Convert.ToString((int)mode & 0xFFF, 8).PadLeft(3, '0');
}
