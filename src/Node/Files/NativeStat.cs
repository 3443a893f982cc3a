using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace LxAnnotate.Node.Files;

/// <summary>
/// lstat-level facts through Linux <c>statx(2)</c> (kernel 4.11, glibc 2.28). .NET keeps device and inode
/// internal (<c>System.IO.FileStatus</c>) and cannot tell a FIFO or socket from a regular file; classic
/// <c>struct stat</c> has a different layout on every architecture, while <c>struct statx</c> has one fixed
/// layout everywhere, so this is the one small native seam the watcher and the hash cache need.
/// </summary>
internal static partial class NativeStat
{
    private const int AtFdCwd = -100;
    private const int AtFollowLinks = 0;
    private const int AtSymlinkNoFollow = 0x100;
    private const int AtEmptyPath = 0x1000;

    private const uint StatxType = 0x1;
    private const uint StatxMtime = 0x40;
    private const uint StatxIno = 0x100;
    private const uint StatxSize = 0x200;
    private const uint Wanted = StatxType | StatxMtime | StatxIno | StatxSize;
    private const uint StatxBasicStats = 0x7ff;

    private const int ModeTypeMask = 0xF000;
    private const int ModeRegular = 0x8000;
    private const int ModeDirectory = 0x4000;
    private const int ModeSymbolicLink = 0xA000;

    // The same values on every Linux architecture (unlike O_NOFOLLOW and O_DIRECTORY).
    private const int OpenReadOnly = 0;
    private const int OpenNonBlocking = 0x800;
    private const int OpenCloseOnExec = 0x80000;

    private const int ErrNoPermission = 1;
    private const int ErrNoEntry = 2;
    private const int ErrNotDirectory = 20;
    private const int ErrNoSystemCall = 38;

    /// <summary>Reads the entry itself (a link is described, not followed); false when it no longer exists.</summary>
    /// <exception cref="PlatformNotSupportedException">statx is missing or blocked (old libc, old kernel, seccomp).</exception>
    /// <exception cref="IOException">Any other failure; the message carries the errno, never the path.</exception>
    public static bool TryLstat(string path, out FileStat stat)
    {
        int result;
        StatxBuffer buffer;
        try
        {
            result = Statx(AtFdCwd, path, AtSymlinkNoFollow, Wanted, out buffer);
        }
        catch (EntryPointNotFoundException ex)
        {
            throw Unavailable(ex);
        }

        if (result != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            stat = default;
            return errno is ErrNoEntry or ErrNotDirectory
                ? false
                : throw Failure(errno);
        }

        stat = ToStat(buffer);
        return true;
    }

    /// <summary>
    /// The <see cref="FileIdentity"/> of <paramref name="path"/> (links followed), or null where <c>statx</c>
    /// is not available or fails: the hash cache then simply hashes again.
    /// </summary>
    public static FileIdentity? Identity(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        StatxBuffer buffer;
        try
        {
            if (Statx(AtFdCwd, path, AtFollowLinks, StatxBasicStats, out buffer) != 0)
            {
                return null;
            }
        }
        catch (EntryPointNotFoundException)
        {
            return null;
        }

        static long Nanoseconds(long seconds, uint nanoseconds) => (seconds * 1_000_000_000L) + nanoseconds;

        return new FileIdentity(
            path,
            (long)buffer.Size,
            (long)buffer.Inode,
            Nanoseconds(buffer.MtimeSeconds, buffer.MtimeNanoseconds),
            Nanoseconds(buffer.CtimeSeconds, buffer.CtimeNanoseconds));
    }

    /// <summary>
    /// Reads up to <paramref name="maxBytes"/> of a regular file, provided the file opened is still the one
    /// <paramref name="expected"/> describes: a name swapped for a link or a FIFO since the last
    /// <see cref="TryLstat"/> is never read (non-blocking open, then the open file is checked). Returns null
    /// when the entry is gone or is no longer that file.
    /// </summary>
    public static byte[]? ReadIfUnchanged(string path, FileSignature expected, int maxBytes)
    {
        var fd = Open(path, OpenReadOnly | OpenNonBlocking | OpenCloseOnExec);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            return errno is ErrNoEntry or ErrNotDirectory ? null : throw Failure(errno);
        }

        using var handle = new SafeFileHandle((IntPtr)fd, ownsHandle: true);
        if (StatxOpen(handle, string.Empty, AtEmptyPath, Wanted, out var buffer) != 0)
        {
            throw Failure(Marshal.GetLastPInvokeError());
        }

        var opened = ToStat(buffer);
        if (opened.Kind != FileKind.Regular || opened.Signature.Device != expected.Device || opened.Signature.Inode != expected.Inode)
        {
            return null;
        }

        var content = new byte[Math.Min((long)maxBytes, (long)opened.Signature.Size + 1)];
        var total = 0;
        while (total < content.Length)
        {
            var read = RandomAccess.Read(handle, content.AsSpan(total), total);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return content.AsSpan(0, total).ToArray();
    }

    private static FileStat ToStat(in StatxBuffer buffer)
    {
        if ((buffer.Mask & StatxType) == 0)
        {
            // Without the type the entry could be a link or a device; nothing is decided on a guess.
            throw new IOException("statx returned no file type");
        }

        var kind = (buffer.Mode & ModeTypeMask) switch
        {
            ModeRegular => FileKind.Regular,
            ModeDirectory => FileKind.Directory,
            ModeSymbolicLink => FileKind.SymbolicLink,
            _ => FileKind.Special,
        };

        // The device is folded into one number the way the kernel's makedev() does, so it only has to be
        // compared, never decoded.
        var device = ((ulong)buffer.DevMajor << 32) | buffer.DevMinor;
        return new FileStat(kind, new FileSignature(device, buffer.Inode, buffer.Size, buffer.MtimeSeconds, buffer.MtimeNanoseconds));
    }

    private static PlatformNotSupportedException Unavailable(Exception? inner) =>
        new("statx(2) is not available (needs Linux 4.11 and glibc 2.28, and a seccomp profile that allows it)", inner);

    private static Exception Failure(int errno) => errno is ErrNoSystemCall or ErrNoPermission
        ? Unavailable(null)
        : new IOException($"statx/open failed (errno {errno})");

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int directoryFd, string path, int flags, uint mask, out StatxBuffer buffer);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int StatxOpen(SafeFileHandle fd, string path, int flags, uint mask, out StatxBuffer buffer);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    /// <summary><c>struct statx</c> from <c>linux/stat.h</c>: fixed-width fields, the same on every architecture.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct StatxBuffer
    {
        [FieldOffset(0x00)]
        public uint Mask;

        [FieldOffset(0x1C)]
        public ushort Mode;

        [FieldOffset(0x20)]
        public ulong Inode;

        [FieldOffset(0x28)]
        public ulong Size;

        [FieldOffset(0x60)]
        public long CtimeSeconds;

        [FieldOffset(0x68)]
        public uint CtimeNanoseconds;

        [FieldOffset(0x70)]
        public long MtimeSeconds;

        [FieldOffset(0x78)]
        public uint MtimeNanoseconds;

        [FieldOffset(0x88)]
        public uint DevMajor;

        [FieldOffset(0x8C)]
        public uint DevMinor;
    }
}
