using LxAnnotate.Shared.Configuration;

namespace LxAnnotate.Hub.DataDir;

/// <summary>
/// The readiness of the protected runtime tree (<see cref="DataTreeLayout"/>): every directory exists, is a
/// directory and is readable, writable and traversable by this process; no mode is looser than documented;
/// <c>STORAGE_DIR</c> resolves inside the protected root; staging and the streamable media root share a
/// filesystem. Used by <c>lxa-hub check</c> and <c>/readyz</c>, which therefore report the same findings.
/// </summary>
internal sealed class DataTreeInspector(DataPaths paths, Func<string, int, bool> canAccess, Func<string, ulong?> device, bool runningAsRoot)
{
    // rwx bits only: setgid or sticky on a shared drop folder is an operator's choice, not a looser mode.
    private const UnixFileMode PermissionBits = (UnixFileMode)0x1FF;

    public DataTreeInspector(DataPaths paths)
        : this(paths, NativeAccess.CanAccess, NativeAccess.Device, NativeAccess.IsRoot)
    {
    }

    public IReadOnlyList<DataTreeFinding> Inspect()
    {
        var findings = new List<DataTreeFinding>();
        if (runningAsRoot)
        {
            findings.Add(new(FindingSeverity.Warning, "service_user", "-", paths.Root,
                "running as root: access checks pass for root; run as the service user (sudo -u lx-annotate lxa-hub data-dir check) to test its access"));
        }

        foreach (var entry in DataTreeLayout.Entries(paths))
        {
            var directory = CheckDirectory(entry);
            findings.Add(directory);
            if (directory.Severity == FindingSeverity.Ok)
            {
                findings.Add(CheckMode(entry));
            }
        }

        findings.Add(CheckStorageInsideRoot());
        findings.Add(CheckSameFileSystem(paths.IncomingDir, "storage/incoming"));
        findings.Add(CheckSameFileSystem(DataTreeLayout.CentersDir(paths), "storage/centers"));
        return findings;
    }

    private DataTreeFinding CheckDirectory(DataTreeEntry entry)
    {
        if (!Directory.Exists(entry.Path))
        {
            var what = File.Exists(entry.Path) ? "exists but is not a directory" : "is missing";
            var hint = entry.Kind == DataTreeEntryKind.Import
                ? "; every import folder must exist before the watcher starts (run lxa-hub data-dir init or systemd-tmpfiles --create)"
                : "; run lxa-hub data-dir init or systemd-tmpfiles --create";
            return new(FindingSeverity.Critical, "directory", entry.Name, entry.Path, what + hint);
        }

        var missing = new List<string>();
        if (!canAccess(entry.Path, NativeAccess.Read))
        {
            missing.Add("read");
        }

        if (!canAccess(entry.Path, NativeAccess.Write))
        {
            missing.Add("write");
        }

        if (!canAccess(entry.Path, NativeAccess.Execute))
        {
            missing.Add("traverse");
        }

        return missing.Count == 0
            ? new(FindingSeverity.Ok, "directory", entry.Name, entry.Path, "directory; read, write, traverse")
            : new(FindingSeverity.Critical, "directory", entry.Name, entry.Path,
                $"this user (uid {NativeAccess.EffectiveUserId.ToString(System.Globalization.CultureInfo.InvariantCulture)}) cannot {string.Join(", ", missing)}; fix owner or group");
    }

    private static DataTreeFinding CheckMode(DataTreeEntry entry)
    {
        var mode = File.GetUnixFileMode(entry.Path);
        var extra = mode & ~entry.Mode & PermissionBits;
        return extra == 0
            ? new(FindingSeverity.Ok, "mode", entry.Name, entry.Path, $"{DataTreeLayout.Octal(mode)} (at most {DataTreeLayout.Octal(entry.Mode)})")
            : new(FindingSeverity.Critical, "mode", entry.Name, entry.Path,
                $"{DataTreeLayout.Octal(mode)} is looser than the documented {DataTreeLayout.Octal(entry.Mode)} (extra {DataTreeLayout.Octal(extra)}); run lxa-hub data-dir init or chmod {DataTreeLayout.Octal(entry.Mode)}");
    }

    /// <summary>Checked again on disk: a symlink placed after start-up could carry storage off the protected volume.</summary>
    private DataTreeFinding CheckStorageInsideRoot()
    {
        string realRoot;
        string realStorage;
        try
        {
            realRoot = DataTreeLayout.RealPath(paths.Root);
            realStorage = DataTreeLayout.RealPath(paths.StorageDir);
        }
        catch (IOException ex)
        {
            return new(FindingSeverity.Critical, "inside_root", "storage", paths.StorageDir, $"cannot resolve: {ex.Message}");
        }

        var prefix = realRoot + Path.DirectorySeparatorChar;
        return realStorage.Length > prefix.Length && realStorage.StartsWith(prefix, StringComparison.Ordinal)
            ? new(FindingSeverity.Ok, "inside_root", "storage", paths.StorageDir, $"inside the protected root {realRoot}")
            : new(FindingSeverity.Critical, "inside_root", "storage", paths.StorageDir,
                $"resolves to {realStorage}, outside the protected root {realRoot}; STORAGE_DIR must be inside LX_ANNOTATE_ENCRYPTED_DATA_DIR");
    }

    /// <summary>Files move from staging into place by rename, which only works within one filesystem.</summary>
    private DataTreeFinding CheckSameFileSystem(string path, string name)
    {
        var pair = $"storage~{name}";
        var storageDevice = device(paths.StorageDir);
        var otherDevice = device(path);
        if (storageDevice is null || otherDevice is null)
        {
            // A missing directory is already a critical finding of its own.
            return new(FindingSeverity.Warning, "same_filesystem", pair, path, "cannot compare filesystems: a directory is missing or unreadable");
        }

        return storageDevice == otherDevice
            ? new(FindingSeverity.Ok, "same_filesystem", pair, path, "same filesystem as STORAGE_DIR")
            : new(FindingSeverity.Warning, "same_filesystem", pair, path,
                "on another filesystem than STORAGE_DIR: moves into place are copies, not atomic renames; mount them on one filesystem");
    }
}
