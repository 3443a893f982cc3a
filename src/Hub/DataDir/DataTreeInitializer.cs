using LxAnnotate.Shared.Configuration;

namespace LxAnnotate.Hub.DataDir;

/// <summary>
/// <c>lxa-hub init-data-dir</c>: creates every directory of <see cref="DataTreeLayout"/> with its documented
/// mode. Idempotent and conservative: it never deletes, never loosens a mode and never touches the content
/// of a directory. A directory looser than documented is tightened (only the extra bits are removed, so an
/// operator's tighter choice stays), because <c>lxa-hub check</c> would otherwise report it as critical.
/// Ownership is left to the caller: run it as the service user, or let systemd-tmpfiles create the tree.
/// </summary>
internal static class DataTreeInitializer
{
    // rwx bits only: setgid or sticky on a shared drop folder is an operator's choice, not a looser mode.
    private const UnixFileMode PermissionBits = (UnixFileMode)0x1FF;

    public static IReadOnlyList<DataTreeStep> Apply(DataPaths paths)
    {
        var steps = new List<DataTreeStep>();
        foreach (var entry in DataTreeLayout.Entries(paths))
        {
            steps.Add(Apply(entry));
        }

        return steps;
    }

    private static DataTreeStep Apply(DataTreeEntry entry)
    {
        var documented = DataTreeLayout.Octal(entry.Mode);
        if (File.Exists(entry.Path))
        {
            return new(DataTreeAction.Refused, entry.Name, entry.Path, documented, "a file is in the way; move it aside and run again");
        }

        if (!Directory.Exists(entry.Path))
        {
            // Parents come first in the layout; an ancestor above the root (e.g. /var/lib) is the operator's.
            Directory.CreateDirectory(entry.Path, entry.Mode);

            // mkdir applies the umask, which would strip the group write bit the drop folders need.
            File.SetUnixFileMode(entry.Path, entry.Mode);
            return new(DataTreeAction.Created, entry.Name, entry.Path, documented, "created");
        }

        var mode = File.GetUnixFileMode(entry.Path);
        var extra = mode & ~entry.Mode & PermissionBits;
        if (extra == 0)
        {
            return new(DataTreeAction.Unchanged, entry.Name, entry.Path, DataTreeLayout.Octal(mode), "exists");
        }

        var tightened = mode & ~extra;
        File.SetUnixFileMode(entry.Path, tightened);
        return new(DataTreeAction.Tightened, entry.Name, entry.Path, DataTreeLayout.Octal(tightened),
            $"was {DataTreeLayout.Octal(mode)}, looser than the documented {documented}");
    }
}
