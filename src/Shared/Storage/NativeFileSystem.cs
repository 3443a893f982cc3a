using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace LxAnnotate.Shared.Storage;

/// <summary>
/// What .NET does not expose: fsync of a directory (a rename is durable only once the directory entry itself has
/// reached the disk), and a file opened for writes past the page cache.
/// </summary>
public static partial class NativeFileSystem
{
    private const int ReadOnly = 0;
    private const int WriteOnly = 1;
    private const int CloseOnExec = 0x80000;

    private static readonly bool AsmGeneric = RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm;

    // O_DIRECTORY and O_DIRECT differ by architecture (asm-generic vs x86).
    private static readonly int Directory = AsmGeneric ? 0x4000 : 0x10000;
    private static readonly int Direct = AsmGeneric ? 0x10000 : 0x4000;

    /// <summary>
    /// A write-only descriptor of the existing file <paramref name="path"/> with <c>O_DIRECT</c> (writes bypass the
    /// page cache; offsets, lengths and buffers must be block-aligned), or null where the platform or the file system
    /// does not offer it.
    /// </summary>
    public static SafeFileHandle? OpenForDirectWrites(string path)
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture is not (Architecture.X64 or Architecture.X86 or Architecture.Arm64 or Architecture.Arm))
        {
            return null;
        }

        var fd = Open(path, WriteOnly | CloseOnExec | Direct);
        return fd < 0 ? null : new SafeFileHandle(fd, ownsHandle: true);
    }

    public static void FsyncDirectory(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var fd = Open(path, ReadOnly | Directory);
        if (fd < 0)
        {
            throw new IOException($"Cannot open directory '{path}' to sync it (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"fsync of directory '{path}' failed (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
