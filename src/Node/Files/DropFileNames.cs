namespace LxAnnotate.Node.Files;

/// <summary>Names the watcher never looks at: files still being written by a copier or browser, hidden files, locks.</summary>
internal static class DropFileNames
{
    private static readonly string[] InProgressSuffixes = [".tmp", ".part", ".partial", ".crdownload", ".download", ".lock"];

    // rsync and many copy tools write "name.tmp.XXXX" or "name.part.N" and rename at the end.
    private static readonly string[] InProgressInfixes = [".tmp.", ".part."];

    public static bool IsIgnored(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0 || name[0] is '.' or '~')
        {
            return true;
        }

        foreach (var suffix in InProgressSuffixes)
        {
            if (name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        foreach (var infix in InProgressInfixes)
        {
            if (name.Contains(infix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
