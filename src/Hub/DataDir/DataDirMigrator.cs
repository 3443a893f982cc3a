namespace LxAnnotate.Hub.DataDir;

/// <summary>
/// <c>lxa-hub data-dir migrate</c>: moves an old data directory into the configured runtime root (full mode) or
/// copies what the root lacks from it (merge mode, <see cref="DataDirMerge"/>). Progress and warnings are lines
/// on the output writer.
/// </summary>
/// <remarks>
/// Full mode copies, verifies every file (size and SHA-256 against the hash taken while reading the source),
/// then renames the source to <c>&lt;source&gt;.migration-backup-&lt;UTC&gt;</c> and writes
/// <c>&lt;target&gt;/.migration-complete</c> (<see cref="FullMigration"/>). Until then
/// <c>&lt;target&gt;/.migration-in-progress</c> names the source, so a run after a crash resumes (copies again)
/// instead of refusing a target that "holds data". A failure it can handle puts the source back and moves the
/// partial target aside as <c>&lt;target&gt;.failed-migration-&lt;UTC&gt;</c>.
/// Merge mode never deletes or overwrites. The runtime state under <c>run/</c> (sockets, keys made at start)
/// is not data and is never copied.
/// </remarks>
internal sealed class DataDirMigrator(TextWriter output, TimeProvider time)
{
    public const string CompleteMarker = ".migration-complete";
    public const string ProgressMarker = ".migration-in-progress";
    public const string EnvFileName = ".env.systemd";

    /// <summary>Test seam: runs after the copy and before verification (e.g. to damage a copied file).</summary>
    internal Func<CancellationToken, Task>? AfterCopy { get; init; }

    public async Task FullAsync(string source, string target, bool dryRun, CancellationToken cancellationToken)
    {
        (source, target) = DataDirPaths.Check(source, target);
        var progressPath = Path.Join(target, ProgressMarker);
        var progress = MigrationRecords.Read<MigrationProgressRecord>(progressPath);
        if (progress is not null && !string.Equals(progress.Source, source, StringComparison.Ordinal))
        {
            throw new DataDirMigrationException(
                $"{target} holds an interrupted migration from {progress.Source}; run data-dir migrate {progress.Source} to finish it first");
        }

        if (!Directory.Exists(source))
        {
            await FinishRenamedAsync(source, target, progress, dryRun, cancellationToken);
            return;
        }

        var plan = FullMigrationPlan.Create(source, target, resuming: progress is not null);
        if (dryRun)
        {
            await DescribeAsync(plan);
            return;
        }

        var startedAt = time.GetUtcNow();
        progress = await BeginAsync(plan, progress, startedAt, cancellationToken);
        var backup = $"{source}.migration-backup-{MigrationRecords.Stamp(startedAt)}";
        var (copiedFiles, bytes) = await new FullMigration(output, time, AfterCopy).RunAsync(plan, progress, backup, cancellationToken);
        await output.WriteLineAsync($"migrated {copiedFiles} file(s), {bytes} bytes, from {source} to {target}; verified; source renamed to {backup}");
    }

    public async Task MergeAsync(string source, string target, bool dryRun, CancellationToken cancellationToken)
    {
        (source, target) = DataDirPaths.Check(source, target);
        await new DataDirMerge(output, source, target, dryRun).RunAsync(cancellationToken);
    }

    /// <summary>The source is gone: fine only when an earlier run verified and renamed it and crashed before the record.</summary>
    private async Task FinishRenamedAsync(
        string source, string target, MigrationProgressRecord? progress, bool dryRun, CancellationToken cancellationToken)
    {
        if (progress?.Backup is not { } renamedTo || !Directory.Exists(renamedTo))
        {
            throw new DataDirMigrationException($"source {source} is not a directory");
        }

        var files = DataDirScanner.Scan(renamedTo).Where(e => e.Kind != DataDirEntryKind.Directory).ToList();
        if (dryRun)
        {
            await output.WriteLineAsync($"would finish the interrupted migration: {source} was already verified and renamed to {renamedTo}");
            return;
        }

        await MigrationRecords.WriteCompleteAsync(
            target, new MigrationCompleteRecord(source, renamedTo, time.GetUtcNow(), files.Count, files.Sum(f => f.Size)), cancellationToken);
        File.Delete(Path.Join(target, ProgressMarker));
        await output.WriteLineAsync($"finished the interrupted migration: {source} was verified and renamed to {renamedTo}");
    }

    private async Task DescribeAsync(FullMigrationPlan plan)
    {
        await output.WriteLineAsync(
            $"would copy {plan.Data.Count} file(s), {plan.Bytes} bytes, from {plan.Source} to {plan.Target}, verify them, and rename {plan.Source} to {plan.Source}.migration-backup-<UTC time>");
        if (plan.KeepTargetEnv && plan.Data.Any(e => e.RelativePath == EnvFileName))
        {
            await output.WriteLineAsync($"target env file already exists, leaving as source of truth: {Path.Join(plan.Target, EnvFileName)}");
        }
    }

    /// <summary>Writes the progress record before the first byte is copied, or says that an interrupted run resumes.</summary>
    private async Task<MigrationProgressRecord> BeginAsync(
        FullMigrationPlan plan, MigrationProgressRecord? progress, DateTimeOffset startedAt, CancellationToken cancellationToken)
    {
        if (progress is not null)
        {
            await output.WriteLineAsync($"resuming the migration from {plan.Source} interrupted since {progress.StartedAt:O}: copying everything again");
            return progress;
        }

        DataDirPaths.CreateDirectory(plan.Target, plan.Source);
        progress = new MigrationProgressRecord(plan.Source, startedAt, Backup: null);
        await MigrationRecords.WriteAsync(Path.Join(plan.Target, ProgressMarker), progress, cancellationToken);
        return progress;
    }
}
