using LxAnnotate.Node.Files;

namespace LxAnnotate.Node.Outbox;

/// <summary>How a file's bytes come into the outbox folder: renamed in from a drop folder, or linked (else copied) for push.</summary>
internal static class FileTaking
{
    public static async Task BringInAsync(string source, string target, TakeMode mode, CancellationToken cancellationToken)
    {
        if (mode == TakeMode.Move)
        {
            File.Move(source, target, overwrite: false);
            return;
        }

        // Same file system: a second name for the operator's file instead of a copy (its data made durable
        // first); a file the operator later rewrites in place fails the hub's SHA-256 check and is quarantined.
        if (FileIdentity.TryHardLink(source, target))
        {
            FileIdentity.FsyncFile(target);
            return;
        }

        var temporary = target + ".copying";
        await using (var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan))
        await using (var output = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous))
        {
            await input.CopyToAsync(output, 1024 * 1024, cancellationToken);
#pragma warning disable CA1849 // fsync has no asynchronous form.
            output.Flush(flushToDisk: true);
#pragma warning restore CA1849
        }

        File.Move(temporary, target, overwrite: false);
    }
}
