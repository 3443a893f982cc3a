using System.Runtime.InteropServices;

namespace LxAnnotate.Hub.DataDir;

/// <summary>
/// The two facts about a directory .NET does not expose: whether this process may read, write and
/// traverse it (<c>faccessat(2)</c> with <c>AT_EACCESS</c>, so the effective user and groups decide,
/// exactly as they will for the service), and which filesystem it is on (<c>statx(2)</c> device, since
/// <c>struct statx</c> has one layout on every architecture).
/// </summary>
internal static partial class NativeAccess
{
    public const int Read = 4;
    public const int Write = 2;
    public const int Execute = 1;

    private const int AtFdCwd = -100;
    private const int AtEffectiveAccess = 0x200;
    private const uint StatxBasic = 0x7FF;

    /// <summary>True when the effective user may access <paramref name="path"/> with every bit of <paramref name="mode"/>.</summary>
    public static bool CanAccess(string path, int mode) => FAccessAt(AtFdCwd, path, mode, AtEffectiveAccess) == 0;

    public static bool IsRoot => GetEffectiveUserId() == 0;

    public static uint EffectiveUserId => GetEffectiveUserId();

    /// <summary>Device of the filesystem holding <paramref name="path"/> (links followed); null when it cannot be read.</summary>
    public static ulong? Device(string path)
    {
        if (Statx(AtFdCwd, path, 0, StatxBasic, out var buffer) != 0)
        {
            return null;
        }

        return ((ulong)buffer.DevMajor << 32) | buffer.DevMinor;
    }

    [LibraryImport("libc", EntryPoint = "faccessat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int FAccessAt(int directoryFd, string path, int mode, int flags);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUserId();

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int directoryFd, string path, int flags, uint mask, out StatxBuffer buffer);

    /// <summary>The device fields of <c>struct statx</c> (<c>linux/stat.h</c>).</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct StatxBuffer
    {
        [FieldOffset(0x88)]
        public uint DevMajor;

        [FieldOffset(0x8C)]
        public uint DevMinor;
    }
}
