namespace LxAnnotate.Hub.DataDir;

/// <summary>
/// One merge run (<c>data-dir migrate --merge</c>): copies what the target lacks and never deletes or overwrites.
/// A new file is written under a temporary name, verified, and renamed into place only if nothing appeared there
/// meanwhile; an entry that exists in the target is skipped with a warning, and so is everything below it.
/// </summary>
internal sealed class DataDirMerge(TextWriter output, string source, string target, bool dryRun)
{
    private readonly List<string> blocked = [];
    private int copied;
    private int skipped;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (!Directory.Exists(source))
        {
            throw new DataDirMigrationException($"source {source} is not a directory");
        }

        if (!dryRun && !Directory.Exists(target))
        {
            DataDirPaths.CreateDirectory(target, source);
        }

        foreach (var entry in DataDirScanner.Scan(source))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (blocked.Exists(b => entry.RelativePath.StartsWith(b + "/", StringComparison.Ordinal)))
            {
                continue;
            }

            var from = Path.Join(source, entry.RelativePath);
            var to = Path.Join(target, entry.RelativePath);
            if (entry.RelativePath == DataDirMigrator.EnvFileName && DataDirPaths.Exists(to))
            {
                await output.WriteLineAsync($"target env file already exists, leaving as source of truth: {to}");
                skipped++;
            }
            else if (entry.Kind == DataDirEntryKind.Directory)
            {
                await MergeDirectoryAsync(entry, from, to);
            }
            else
            {
                await MergeFileAsync(entry, from, to, cancellationToken);
            }
        }

        await output.WriteLineAsync(dryRun
            ? $"merge (dry run) from {source} into {target}: would copy {copied} file(s), {skipped} already present"
            : $"merged {source} into {target}: copied {copied} file(s), skipped {skipped} already present; nothing was overwritten or deleted");
    }

    private async Task MergeDirectoryAsync(DataDirEntry entry, string from, string to)
    {
        if (Directory.Exists(to) && new DirectoryInfo(to).LinkTarget is null)
        {
            return;
        }

        if (DataDirPaths.Exists(to))
        {
            await SkipAsync(to);
            blocked.Add(entry.RelativePath);
            return;
        }

        if (!dryRun)
        {
            DataDirPaths.CreateDirectory(to, from);
        }
    }

    private async Task MergeFileAsync(DataDirEntry entry, string from, string to, CancellationToken cancellationToken)
    {
        if (DataDirPaths.Exists(to))
        {
            await SkipAsync(to);
            return;
        }

        if (dryRun)
        {
            await output.WriteLineAsync($"would copy {to}");
            copied++;
            return;
        }

        var temporary = Path.Join(Path.GetDirectoryName(to)!, $".{Path.GetFileName(to)}.lxa-merge-{Guid.NewGuid():N}.tmp");
        try
        {
            await CopyNewAsync(entry, from, to, temporary, cancellationToken);
            copied++;
        }
        catch (IOException) when (DataDirPaths.Exists(to))
        {
            await SkipAsync(to);
        }
        finally
        {
            if (File.Exists(temporary) || new FileInfo(temporary).LinkTarget is not null)
            {
                File.Delete(temporary);
            }
        }
    }

    private static async Task CopyNewAsync(DataDirEntry entry, string from, string to, string temporary, CancellationToken cancellationToken)
    {
        if (entry.Kind == DataDirEntryKind.SymbolicLink)
        {
            // symlink(2) fails when the name exists, so this cannot replace anything either.
            File.CreateSymbolicLink(to, entry.LinkTarget!);
            return;
        }

        var hash = await VerifiedCopy.CopyFileAsync(from, temporary, cancellationToken);
        var (size, copyHash) = await VerifiedCopy.HashAsync(temporary, cancellationToken);
        if (size != entry.Size || !hash.AsSpan().SequenceEqual(copyHash))
        {
            throw new DataDirMigrationException($"copy of {from} does not match the source (size or SHA-256)");
        }

        // No overwrite: if something appeared at the destination meanwhile, it wins.
        File.Move(temporary, to, overwrite: false);
    }

    private async Task SkipAsync(string to)
    {
        await output.WriteLineAsync($"WARNING: destination already exists, skipping: {to}");
        skipped++;
    }
}
