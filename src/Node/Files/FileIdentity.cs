using System.Runtime.InteropServices;

namespace LxAnnotate.Node.Files;

/// <summary>
/// What identifies one version of a file for the hash cache: path, size, inode, and the modification and
/// change times in nanoseconds (<c>statx</c>; .NET exposes neither the inode nor the change time).
/// Any write to the file moves its change time, which <c>touch</c> cannot set back.
/// </summary>
internal sealed partial record FileIdentity(string Path, long Size, long Inode, long ModifiedNs, long ChangedNs)
{
    /// <summary>The identity of <paramref name="path"/>, or null where <c>statx</c> is not available.</summary>
    public static FileIdentity? Of(string path) => NativeStat.Identity(path);

    /// <summary>
    /// A second name for <paramref name="source"/> at <paramref name="target"/>; false when the file system
    /// cannot link (other device, no permission, no support), so the caller copies instead.
    /// </summary>
    public static bool TryHardLink(string source, string target) => OperatingSystem.IsLinux() && Link(source, target) == 0;

    /// <summary>fsync of a file opened for reading only (<see cref="FileStream.Flush(bool)"/> needs write access).</summary>
    public static void FsyncFile(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        if (Fsync(handle) != 0)
        {
            throw new IOException($"fsync of '{path}' failed (errno {Marshal.GetLastPInvokeError()}).");
        }
    }

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(Microsoft.Win32.SafeHandles.SafeFileHandle handle);

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Link(string source, string target);
}
