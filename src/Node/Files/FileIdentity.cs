using System.Runtime.InteropServices;

namespace LxAnnotate.Node.Files;

/// <summary>
/// What identifies one version of a file for the hash cache: path, size, inode, and the modification and
/// change times in nanoseconds (<c>statx</c>; .NET exposes neither the inode nor the change time).
/// Any write to the file moves its change time, which <c>touch</c> cannot set back.
/// </summary>
internal sealed partial record FileIdentity(string Path, long Size, long Inode, long ModifiedNs, long ChangedNs)
{
    private const int AtFdCwd = -100;
    private const uint StatxBasicStats = 0x7ff;
    private const int StatxSize = 256;

    /// <summary>The identity of <paramref name="path"/>, or null where <c>statx</c> is not available.</summary>
    public static FileIdentity? Of(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        var buffer = new byte[StatxSize];
        try
        {
            if (Statx(AtFdCwd, path, 0, StatxBasicStats, buffer) != 0)
            {
                return null;
            }
        }
        catch (EntryPointNotFoundException)
        {
            return null;
        }

        // struct statx: stx_ino at 32, stx_size at 40, timestamps {s64 sec; u32 nsec; s32 pad} with ctime at 96, mtime at 112.
        static long Nanoseconds(ReadOnlySpan<byte> data, int offset) =>
            (MemoryMarshal.Read<long>(data[offset..]) * 1_000_000_000L) + MemoryMarshal.Read<uint>(data[(offset + 8)..]);

        return new FileIdentity(
            path,
            MemoryMarshal.Read<long>(buffer.AsSpan(40)),
            MemoryMarshal.Read<long>(buffer.AsSpan(32)),
            Nanoseconds(buffer, 112),
            Nanoseconds(buffer, 96));
    }

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

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int directoryFd, string path, int flags, uint mask, [Out] byte[] buffer);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(Microsoft.Win32.SafeHandles.SafeFileHandle handle);

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Link(string source, string target);
}
