namespace LxAnnotate.Hub.DataDir;

/// <summary>
/// The writing half of a full migration: copy, verify, rename the source to its backup name, record completion.
/// A failure it can handle undoes the rename and moves the partial target aside, keeping the target's env file.
/// </summary>
internal sealed class FullMigration(TextWriter output, TimeProvider time, Func<CancellationToken, Task>? afterCopy)
{
    /// <returns>The number of files and links copied and their bytes.</returns>
    /// <exception cref="DataDirMigrationException">The migration failed and was rolled back.</exception>
    public async Task<(int Files, long Bytes)> RunAsync(
        FullMigrationPlan plan, MigrationProgressRecord progress, string backup, CancellationToken cancellationToken)
    {
        var progressPath = Path.Join(plan.Target, DataDirMigrator.ProgressMarker);
        var renamed = false;
        try
        {
            var hashes = await CopyAllAsync(plan, cancellationToken);
            if (afterCopy is not null)
            {
                await afterCopy(cancellationToken);
            }

            await VerifiedCopy.VerifyAsync(plan.Target, plan.Entries, hashes, cancellationToken);
            var bytes = plan.Entries.Where(e => hashes.ContainsKey(e.RelativePath)).Sum(e => e.Size);
            await MigrationRecords.WriteAsync(progressPath, progress with { Backup = backup }, cancellationToken);
            Directory.Move(plan.Source, backup);
            renamed = true;
            await MigrationRecords.WriteCompleteAsync(
                plan.Target, new MigrationCompleteRecord(plan.Source, backup, time.GetUtcNow(), hashes.Count, bytes), cancellationToken);
            File.Delete(progressPath);
            return (hashes.Count, bytes);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or DataDirMigrationException)
        {
            var failed = RollBack(plan, backup, renamed);
            throw new DataDirMigrationException(
                $"migration failed: {ex.Message.ReplaceLineEndings(" ")}; the source is unchanged at {plan.Source}, the partial copy is at {failed}", ex);
        }
    }

    /// <returns>Relative path → SHA-256 of what was read, for every file and link copied (a link's hash is empty).</returns>
    private async Task<Dictionary<string, byte[]>> CopyAllAsync(FullMigrationPlan plan, CancellationToken cancellationToken)
    {
        var hashes = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var entry in plan.Entries)
        {
            var from = Path.Join(plan.Source, entry.RelativePath);
            var to = Path.Join(plan.Target, entry.RelativePath);
            switch (entry.Kind)
            {
                case DataDirEntryKind.Directory:
                    DataDirPaths.CreateDirectory(to, from);
                    break;
                case DataDirEntryKind.SymbolicLink:
                    if (File.Exists(to) || new FileInfo(to).LinkTarget is not null)
                    {
                        File.Delete(to);
                    }

                    File.CreateSymbolicLink(to, entry.LinkTarget!);
                    hashes[entry.RelativePath] = [];
                    break;
                default:
                    if (entry.RelativePath == DataDirMigrator.EnvFileName && plan.KeepTargetEnv)
                    {
                        await output.WriteLineAsync($"target env file already exists, leaving as source of truth: {to}");
                        break;
                    }

                    hashes[entry.RelativePath] = await VerifiedCopy.CopyFileAsync(from, to, cancellationToken);
                    break;
            }
        }

        return hashes;
    }

    /// <returns>Where the partial target was moved.</returns>
    private string RollBack(FullMigrationPlan plan, string backup, bool renamed)
    {
        if (renamed)
        {
            Directory.Move(backup, plan.Source);
        }

        var failed = $"{plan.Target}.failed-migration-{MigrationRecords.Stamp(time.GetUtcNow())}";
        Directory.Move(plan.Target, failed);
        DataDirPaths.CreateDirectory(plan.Target, plan.Source);
        if (plan.KeepTargetEnv && File.Exists(Path.Join(failed, DataDirMigrator.EnvFileName)))
        {
            File.Move(Path.Join(failed, DataDirMigrator.EnvFileName), Path.Join(plan.Target, DataDirMigrator.EnvFileName));
        }

        return failed;
    }
}
