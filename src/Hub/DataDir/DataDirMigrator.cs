using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace LxAnnotate.Hub.DataDir;

/// <summary>
/// <c>lxa-hub migrate-data-dir</c>: moves an old data directory into the configured runtime root (full mode) or
/// copies what the root lacks from it (merge mode). Progress and warnings are lines on <paramref name="output"/>.
/// </summary>
/// <remarks>
/// Full mode copies, verifies every file (size and SHA-256 against the hash taken while reading the source),
/// then renames the source to <c>&lt;source&gt;.migration-backup-&lt;UTC&gt;</c> and writes
/// <c>&lt;target&gt;/.migration-complete</c>. Until then <c>&lt;target&gt;/.migration-in-progress</c> names the source,
/// so a run after a crash resumes (copies again) instead of refusing a target that "holds data". A failure it can
/// handle puts the source back and moves the partial target aside as <c>&lt;target&gt;.failed-migration-&lt;UTC&gt;</c>.
/// Merge mode never deletes or overwrites: a new file is written under a temporary name and renamed into place
/// only if nothing appeared there meanwhile. The runtime state under <c>run/</c> (sockets, keys made at start)
/// is not data and is never copied.
/// </remarks>
internal sealed class DataDirMigrator(TextWriter output, TimeProvider time)
{
    public const string CompleteMarker = ".migration-complete";
    public const string ProgressMarker = ".migration-in-progress";
    public const string EnvFileName = ".env.systemd";
    private const string RuntimeStateDirectory = "run";
    private const int BufferSize = 1 << 20;

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>Test seam: runs after the copy and before verification (e.g. to damage a copied file).</summary>
    internal Func<CancellationToken, Task>? AfterCopy { get; init; }

    public async Task FullAsync(string source, string target, bool dryRun, CancellationToken cancellationToken)
    {
        (source, target) = CheckPaths(source, target);
        var progressPath = Path.Join(target, ProgressMarker);
        var progress = ReadJson<MigrationProgressRecord>(progressPath);
        if (progress is not null && !string.Equals(progress.Source, source, StringComparison.Ordinal))
        {
            throw new DataDirMigrationException(
                $"{target} holds an interrupted migration from {progress.Source}; run migrate-data-dir {progress.Source} to finish it first");
        }

        if (!Directory.Exists(source))
        {
            if (progress?.Backup is { } renamedTo && Directory.Exists(renamedTo))
            {
                // The crash came after the verified source was renamed: only the record is missing.
                var files = Scan(renamedTo).Where(e => e.Kind != DataDirEntryKind.Directory).ToList();
                if (dryRun)
                {
                    await output.WriteLineAsync($"would finish the interrupted migration: {source} was already verified and renamed to {renamedTo}");
                    return;
                }

                await WriteCompleteAsync(target, new MigrationCompleteRecord(source, renamedTo, time.GetUtcNow(), files.Count, files.Sum(f => f.Size)), cancellationToken);
                File.Delete(progressPath);
                await output.WriteLineAsync($"finished the interrupted migration: {source} was verified and renamed to {renamedTo}");
                return;
            }

            throw new DataDirMigrationException($"source {source} is not a directory");
        }

        var entries = Scan(source);
        var data = entries.Where(e => e.Kind != DataDirEntryKind.Directory).ToList();
        if (data.Count == 0)
        {
            throw new DataDirMigrationException($"source {source} holds no data; nothing to migrate");
        }

        if (progress is null && Directory.Exists(target) && Scan(target).Any(e => e.Kind != DataDirEntryKind.Directory && e.RelativePath != EnvFileName))
        {
            throw new DataDirMigrationException(
                $"both {source} and {target} hold data; a full migration needs an empty target (--merge copies only what is missing)");
        }

        var keepTargetEnv = File.Exists(Path.Join(target, EnvFileName));
        var bytes = data.Sum(e => e.Size);
        if (dryRun)
        {
            await output.WriteLineAsync($"would copy {data.Count} file(s), {bytes} bytes, from {source} to {target}, verify them, and rename {source} to {source}.migration-backup-<UTC time>");
            if (keepTargetEnv && data.Any(e => e.RelativePath == EnvFileName))
            {
                await output.WriteLineAsync($"target env file already exists, leaving as source of truth: {Path.Join(target, EnvFileName)}");
            }

            return;
        }

        var startedAt = time.GetUtcNow();
        if (progress is null)
        {
            CreateDirectory(target, source);
            progress = new MigrationProgressRecord(source, startedAt, Backup: null);
            await WriteJsonAsync(progressPath, progress, cancellationToken);
        }
        else
        {
            await output.WriteLineAsync($"resuming the migration from {source} interrupted since {progress.StartedAt:O}: copying everything again");
        }

        var backup = $"{source}.migration-backup-{Stamp(startedAt)}";
        var renamed = false;
        var copiedFiles = 0;
        try
        {
            var hashes = await CopyAllAsync(source, target, entries, keepTargetEnv, cancellationToken);
            if (AfterCopy is not null)
            {
                await AfterCopy(cancellationToken);
            }

            await VerifyAsync(target, entries, hashes, cancellationToken);
            copiedFiles = hashes.Count;
            bytes = entries.Where(e => hashes.ContainsKey(e.RelativePath)).Sum(e => e.Size);
            await WriteJsonAsync(progressPath, progress with { Backup = backup }, cancellationToken);
            Directory.Move(source, backup);
            renamed = true;
            await WriteCompleteAsync(target, new MigrationCompleteRecord(source, backup, time.GetUtcNow(), copiedFiles, bytes), cancellationToken);
            File.Delete(progressPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or DataDirMigrationException)
        {
            if (renamed)
            {
                Directory.Move(backup, source);
            }

            var failed = $"{target}.failed-migration-{Stamp(time.GetUtcNow())}";
            Directory.Move(target, failed);
            CreateDirectory(target, source);
            if (keepTargetEnv && File.Exists(Path.Join(failed, EnvFileName)))
            {
                File.Move(Path.Join(failed, EnvFileName), Path.Join(target, EnvFileName));
            }

            throw new DataDirMigrationException(
                $"migration failed: {ex.Message.ReplaceLineEndings(" ")}; the source is unchanged at {source}, the partial copy is at {failed}", ex);
        }

        await output.WriteLineAsync($"migrated {copiedFiles} file(s), {bytes} bytes, from {source} to {target}; verified; source renamed to {backup}");
    }

    public async Task MergeAsync(string source, string target, bool dryRun, CancellationToken cancellationToken)
    {
        (source, target) = CheckPaths(source, target);
        if (!Directory.Exists(source))
        {
            throw new DataDirMigrationException($"source {source} is not a directory");
        }

        if (!dryRun && !Directory.Exists(target))
        {
            CreateDirectory(target, source);
        }

        int copied = 0, skipped = 0;
        var blocked = new List<string>();
        foreach (var entry in Scan(source))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (blocked.Exists(b => entry.RelativePath.StartsWith(b + "/", StringComparison.Ordinal)))
            {
                continue;
            }

            var from = Path.Join(source, entry.RelativePath);
            var to = Path.Join(target, entry.RelativePath);
            if (entry.RelativePath == EnvFileName && Exists(to))
            {
                await output.WriteLineAsync($"target env file already exists, leaving as source of truth: {to}");
                skipped++;
                continue;
            }

            if (entry.Kind == DataDirEntryKind.Directory)
            {
                if (Directory.Exists(to) && new DirectoryInfo(to).LinkTarget is null)
                {
                    continue;
                }

                if (Exists(to))
                {
                    await output.WriteLineAsync($"WARNING: destination already exists, skipping: {to}");
                    blocked.Add(entry.RelativePath);
                    skipped++;
                    continue;
                }

                if (!dryRun)
                {
                    CreateDirectory(to, from);
                }

                continue;
            }

            if (Exists(to))
            {
                await output.WriteLineAsync($"WARNING: destination already exists, skipping: {to}");
                skipped++;
                continue;
            }

            if (dryRun)
            {
                await output.WriteLineAsync($"would copy {to}");
                copied++;
                continue;
            }

            var temporary = Path.Join(Path.GetDirectoryName(to)!, $".{Path.GetFileName(to)}.lxa-merge-{Guid.NewGuid():N}.tmp");
            try
            {
                if (entry.Kind == DataDirEntryKind.SymbolicLink)
                {
                    // symlink(2) fails when the name exists, so this cannot replace anything either.
                    File.CreateSymbolicLink(to, entry.LinkTarget!);
                }
                else
                {
                    var hash = await CopyFileAsync(from, temporary, cancellationToken);
                    var (size, copyHash) = await HashAsync(temporary, cancellationToken);
                    if (size != entry.Size || !hash.AsSpan().SequenceEqual(copyHash))
                    {
                        throw new DataDirMigrationException($"copy of {from} does not match the source (size or SHA-256)");
                    }

                    // No overwrite: if something appeared at the destination meanwhile, it wins.
                    File.Move(temporary, to, overwrite: false);
                }

                copied++;
            }
            catch (IOException) when (Exists(to))
            {
                await output.WriteLineAsync($"WARNING: destination already exists, skipping: {to}");
                skipped++;
            }
            finally
            {
                if (File.Exists(temporary) || new FileInfo(temporary).LinkTarget is not null)
                {
                    File.Delete(temporary);
                }
            }
        }

        await output.WriteLineAsync(dryRun
            ? $"merge (dry run) from {source} into {target}: would copy {copied} file(s), {skipped} already present"
            : $"merged {source} into {target}: copied {copied} file(s), skipped {skipped} already present; nothing was overwritten or deleted");
    }

    /// <summary>Directories first within each level, in ordinal order; <c>run/</c> and the migration markers left out.</summary>
    internal static List<DataDirEntry> Scan(string root)
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
                if (relative.Length == 0 && info.Name is RuntimeStateDirectory or CompleteMarker or ProgressMarker)
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

    private async Task<Dictionary<string, byte[]>> CopyAllAsync(
        string source, string target, List<DataDirEntry> entries, bool keepTargetEnv, CancellationToken cancellationToken)
    {
        var hashes = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var from = Path.Join(source, entry.RelativePath);
            var to = Path.Join(target, entry.RelativePath);
            switch (entry.Kind)
            {
                case DataDirEntryKind.Directory:
                    CreateDirectory(to, from);
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
                    if (entry.RelativePath == EnvFileName && keepTargetEnv)
                    {
                        await output.WriteLineAsync($"target env file already exists, leaving as source of truth: {to}");
                        break;
                    }

                    hashes[entry.RelativePath] = await CopyFileAsync(from, to, cancellationToken);
                    break;
            }
        }

        return hashes;
    }

    private static async Task VerifyAsync(string target, List<DataDirEntry> entries, Dictionary<string, byte[]> hashes, CancellationToken cancellationToken)
    {
        foreach (var entry in entries.Where(e => hashes.ContainsKey(e.RelativePath)))
        {
            var copy = Path.Join(target, entry.RelativePath);
            if (entry.Kind == DataDirEntryKind.SymbolicLink)
            {
                if (!string.Equals(new FileInfo(copy).LinkTarget, entry.LinkTarget, StringComparison.Ordinal))
                {
                    throw new DataDirMigrationException($"verification failed: link {entry.RelativePath} does not point to {entry.LinkTarget}");
                }

                continue;
            }

            var (size, hash) = await HashAsync(copy, cancellationToken);
            if (size != entry.Size)
            {
                throw new DataDirMigrationException($"verification failed: {entry.RelativePath} has {size} bytes in the target, {entry.Size} in the source");
            }

            if (!hash.AsSpan().SequenceEqual(hashes[entry.RelativePath]))
            {
                throw new DataDirMigrationException($"verification failed: SHA-256 of {entry.RelativePath} differs between source and target");
            }
        }
    }

    /// <summary>Copies with its mode and modification time, flushed to disk; returns the SHA-256 of what was read.</summary>
    private static async Task<byte[]> CopyFileAsync(string from, string to, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[BufferSize];
        await using (var input = new FileStream(from, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan))
        await using (var copy = new FileStream(to, FileMode.Create, FileAccess.Write, FileShare.None, 1))
        {
            int read;
            while ((read = await input.ReadAsync(buffer, cancellationToken)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                await copy.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }

#pragma warning disable CA1849 // fsync has no asynchronous form.
            copy.Flush(flushToDisk: true);
#pragma warning restore CA1849
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(to, File.GetUnixFileMode(from));
        }

        File.SetLastWriteTimeUtc(to, File.GetLastWriteTimeUtc(from));
        return hash.GetHashAndReset();
    }

    private static async Task<(long Size, byte[] Hash)> HashAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.SequentialScan);
        var hash = await SHA256.HashDataAsync(stream, cancellationToken);
        return (stream.Length, hash);
    }

    private static (string Source, string Target) CheckPaths(string source, string target)
    {
        source = Path.TrimEndingDirectorySeparator(Path.GetFullPath(source));
        target = Path.TrimEndingDirectorySeparator(Path.GetFullPath(target));
        if (string.Equals(source, target, StringComparison.Ordinal))
        {
            throw new DataDirMigrationException($"source and target are the same directory ({source})");
        }

        if (target.StartsWith(source + "/", StringComparison.Ordinal) || source.StartsWith(target + "/", StringComparison.Ordinal))
        {
            throw new DataDirMigrationException($"source {source} and target {target} must not contain each other");
        }

        return (source, target);
    }

    private static void CreateDirectory(string path, string modeFrom)
    {
        Directory.CreateDirectory(path);
        if (!OperatingSystem.IsWindows() && Directory.Exists(modeFrom))
        {
            File.SetUnixFileMode(path, File.GetUnixFileMode(modeFrom));
        }
    }

    private static bool Exists(string path) => File.Exists(path) || Directory.Exists(path) || new FileInfo(path).LinkTarget is not null;

    private static string Stamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    private static T? ReadJson<T>(string path)
        where T : class
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<T>(File.ReadAllText(path));
        }
        catch (JsonException ex)
        {
            throw new DataDirMigrationException($"{path} is not readable JSON ({ex.Message}); inspect it and remove it if no migration is running");
        }
    }

    private static Task WriteCompleteAsync(string target, MigrationCompleteRecord record, CancellationToken cancellationToken) =>
        WriteJsonAsync(Path.Join(target, CompleteMarker), record, cancellationToken);

    /// <summary>Temporary file, fsync, rename: a crash leaves the old record or the new one, never half of one.</summary>
    private static async Task WriteJsonAsync<T>(string path, T record, CancellationToken cancellationToken)
    {
        var temporary = path + ".tmp";
        await using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            await JsonSerializer.SerializeAsync(stream, record, Json, cancellationToken);
#pragma warning disable CA1849 // fsync has no asynchronous form.
            stream.Flush(flushToDisk: true);
#pragma warning restore CA1849
        }

        File.Move(temporary, path, overwrite: true);
    }
}
