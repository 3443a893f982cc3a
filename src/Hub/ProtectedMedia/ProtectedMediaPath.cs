using LxAnnotate.Shared.Configuration;

namespace LxAnnotate.Hub.ProtectedMedia;

/// <summary>
/// Where a stored file is on disk and under which internal URI nginx finds it: nginx's
/// <c>location /protected_media/ { internal; alias &lt;protected root&gt;/; }</c> maps the URI back to the file.
/// </summary>
internal static class ProtectedMediaPath
{
    public const string Prefix = "/protected_media/";

    /// <summary>
    /// The absolute path of <paramref name="storagePath"/> under <c>STORAGE_DIR</c>; null when the recorded path
    /// would leave it (a corrupted or tampered row never turns into a read elsewhere).
    /// </summary>
    public static string? Resolve(DataPaths paths, string storagePath)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(storagePath);
        if (storagePath.Length == 0 || Path.IsPathRooted(storagePath))
        {
            return null;
        }

        var storage = Path.TrimEndingDirectorySeparator(Path.GetFullPath(paths.StorageDir)) + Path.DirectorySeparatorChar;
        var full = Path.GetFullPath(Path.Join(paths.StorageDir, storagePath));
        return full.StartsWith(storage, StringComparison.Ordinal) ? full : null;
    }

    /// <summary>The <c>X-Accel-Redirect</c> URI: the prefix and the path relative to the protected root, each segment escaped.</summary>
    public static string AccelUri(DataPaths paths, string absolutePath)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var relative = Path.GetRelativePath(paths.Root, absolutePath);
        return Prefix + string.Join('/', relative.Split(Path.DirectorySeparatorChar).Select(Uri.EscapeDataString));
    }
}
