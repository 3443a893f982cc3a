namespace LxAnnotate.Hub.DataDir;

/// <summary>Lists a data directory for migration, without following links.</summary>
internal static class DataDirScanner
{
    private const string RuntimeStateDirectory = "run";

    /// <summary>Every entry in ordinal order of its relative path; <c>run/</c> and the migration markers left out.</summary>
    public static List<DataDirEntry> Scan(string root)
    {
        var entries = new List<DataDirEntry>();
        var pending = new Stack<string>();
        pending.Push("");
        while (pending.Count > 0)
        {
            var relative = pending.Pop();
            var directory = new DirectoryInfo(relative.Length == 0 ? root : Path.Join(root, relative));
            foreach (var info in directory.EnumerateFileSystemInfos().OrderBy(i => i.Name, StringComparer.Ordinal))
            {
                var path = relative.Length == 0 ? info.Name : relative + "/" + info.Name;
                if (relative.Length == 0 && info.Name is RuntimeStateDirectory or DataDirMigrator.CompleteMarker or DataDirMigrator.ProgressMarker)
                {
                    continue;
                }

                if (info.LinkTarget is { } link)
                {
                    entries.Add(new DataDirEntry(path, DataDirEntryKind.SymbolicLink, 0, link));
                }
                else if (info is DirectoryInfo)
                {
                    entries.Add(new DataDirEntry(path, DataDirEntryKind.Directory, 0, null));
                    pending.Push(path);
                }
                else
                {
                    entries.Add(new DataDirEntry(path, DataDirEntryKind.File, ((FileInfo)info).Length, null));
                }
            }
        }

        // Parents before children so directories exist before their files are copied.
        entries.Sort((a, b) => string.CompareOrdinal(a.RelativePath, b.RelativePath));
        return entries;
    }
}
