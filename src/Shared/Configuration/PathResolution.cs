namespace LxAnnotate.Shared.Configuration;

/// <summary>
/// A realpath that also works for paths that do not exist yet: the data tree is usually
/// created after the configuration is validated, but a symlink already on disk must not
/// let <c>STORAGE_DIR</c> or an alias point somewhere else than it appears to.
/// </summary>
public static class PathResolution
{
    /// <summary>Same limit as Linux (<c>MAXSYMLINKS</c>), so a loop fails like it would for the kernel.</summary>
    public const int MaxSymlinkHops = 40;

    public static StringComparison Comparison { get; } =
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    /// <summary>
    /// Resolves symlinks component by component on the existing part of <paramref name="path"/>
    /// and keeps the missing tail lexically. <c>..</c> is applied after resolving what precedes
    /// it, as the kernel does, not by string trimming first.
    /// </summary>
    /// <exception cref="IOException">More than <see cref="MaxSymlinkHops"/> links were followed.</exception>
    public static string GetRealPath(string path)
    {
        if (!Path.IsPathFullyQualified(path))
        {
            throw new ArgumentException("Path must be absolute.", nameof(path));
        }

        string resolved = Path.GetPathRoot(path)!;
        var pending = new Stack<string>();
        PushComponents(pending, path.AsSpan(resolved.Length));

        // Components appended after the first missing one. While it is above zero nothing below
        // exists, so there is nothing to look up; once ".." climbs back out, lookups resume.
        int missingDepth = 0;
        int hops = 0;

        while (pending.Count > 0)
        {
            string part = pending.Pop();
            if (part is "" or ".")
            {
                continue;
            }

            if (part == "..")
            {
                resolved = Path.GetDirectoryName(resolved) ?? resolved;

                // Climbing out of the missing tail: never below zero, the existing part stays looked up.
                missingDepth = Math.Max(0, missingDepth - 1);
                continue;
            }

            string candidate = Path.Join(resolved, part);
            if (missingDepth > 0)
            {
                resolved = candidate;
                missingDepth++;
                continue;
            }

            string? target = new FileInfo(candidate).LinkTarget;
            if (target is not null)
            {
                resolved = FollowLink(pending, resolved, target, ++hops);
                continue;
            }

            if (!File.Exists(candidate) && !Directory.Exists(candidate))
            {
                missingDepth = 1;
            }

            resolved = candidate;
        }

        return resolved;
    }

    /// <summary>
    /// Replaces a symlink by its target: the target's components are walked next, from the root
    /// for an absolute target, from <paramref name="resolved"/> for a relative one. Returns the
    /// prefix the walk continues from.
    /// </summary>
    /// <exception cref="IOException"><paramref name="hops"/> is above <see cref="MaxSymlinkHops"/>.</exception>
    private static string FollowLink(Stack<string> pending, string resolved, string target, int hops)
    {
        if (hops > MaxSymlinkHops)
        {
            throw new IOException(
                $"too many levels of symbolic links (more than {MaxSymlinkHops.ToString(System.Globalization.CultureInfo.InvariantCulture)})");
        }

        if (Path.IsPathRooted(target))
        {
            string root = Path.GetPathRoot(target) ?? resolved;
            PushComponents(pending, target.AsSpan(root.Length));
            return root;
        }

        // A relative target is relative to the directory holding the link, which is
        // the already-resolved prefix.
        PushComponents(pending, target);
        return resolved;
    }

    private static void PushComponents(Stack<string> pending, ReadOnlySpan<char> relative)
    {
        string[] parts = relative.ToString().Split(
            [Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar],
            StringSplitOptions.RemoveEmptyEntries);
        for (int i = parts.Length - 1; i >= 0; i--)
        {
            pending.Push(parts[i]);
        }
    }
}
