namespace LxAnnotate.Hub.DataDir;

/// <summary>What a full migration will copy, checked before anything is written.</summary>
/// <param name="Entries">Every entry of the source (<see cref="DataDirScanner.Scan"/>), directories included.</param>
/// <param name="Data">The entries that are not directories.</param>
/// <param name="KeepTargetEnv">The target already has its env file, which stays the source of truth.</param>
/// <param name="Bytes">Size of <paramref name="Data"/>.</param>
internal sealed record FullMigrationPlan(
    string Source, string Target, List<DataDirEntry> Entries, List<DataDirEntry> Data, bool KeepTargetEnv, long Bytes)
{
    /// <param name="resuming">An interrupted migration's record is present, so the target's data is its own partial copy.</param>
    /// <exception cref="DataDirMigrationException">The source holds no data, or the target holds data of its own.</exception>
    public static FullMigrationPlan Create(string source, string target, bool resuming)
    {
        var entries = DataDirScanner.Scan(source);
        var data = entries.Where(e => e.Kind != DataDirEntryKind.Directory).ToList();
        if (data.Count == 0)
        {
            throw new DataDirMigrationException($"source {source} holds no data; nothing to migrate");
        }

        if (!resuming && Directory.Exists(target)
            && DataDirScanner.Scan(target).Any(e => e.Kind != DataDirEntryKind.Directory && e.RelativePath != DataDirMigrator.EnvFileName))
        {
            throw new DataDirMigrationException(
                $"both {source} and {target} hold data; a full migration needs an empty target (--merge copies only what is missing)");
        }

        var keepTargetEnv = File.Exists(Path.Join(target, DataDirMigrator.EnvFileName));
        return new FullMigrationPlan(source, target, entries, data, keepTargetEnv, data.Sum(e => e.Size));
    }
}
