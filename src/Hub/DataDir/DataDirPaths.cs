namespace LxAnnotate.Hub.DataDir;

/// <summary>Path checks and directory creation shared by the full and the merge migration.</summary>
internal static class DataDirPaths
{
    /// <returns>Both paths made absolute, without a trailing separator.</returns>
    /// <exception cref="DataDirMigrationException">They are the same directory or one contains the other.</exception>
    public static (string Source, string Target) Check(string source, string target)
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

    /// <summary>Creates <paramref name="path"/> with the mode of <paramref name="modeFrom"/> when that exists.</summary>
    public static void CreateDirectory(string path, string modeFrom)
    {
        Directory.CreateDirectory(path);
        if (!OperatingSystem.IsWindows() && Directory.Exists(modeFrom))
        {
            File.SetUnixFileMode(path, File.GetUnixFileMode(modeFrom));
        }
    }

    /// <summary>Anything at <paramref name="path"/>, a dangling link included.</summary>
    public static bool Exists(string path) => File.Exists(path) || Directory.Exists(path) || new FileInfo(path).LinkTarget is not null;
}
