using System.Runtime.InteropServices;

namespace LxAnnotate.Shared.Envelope;

/// <summary>The owner uid of a file, by <c>statx(2)</c> without following links (.NET exposes no uid).</summary>
internal static partial class FileOwner
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxUid = 0x8;

    public static uint Of(string path)
    {
        if (Statx(AtFdCwd, path, AtSymlinkNoFollow, StatxUid, out var buffer) != 0)
        {
            throw new InvalidDataException($"'{path}' cannot be examined (statx errno {Marshal.GetLastPInvokeError()})");
        }

        return (buffer.Mask & StatxUid) != 0
            ? buffer.Uid
            : throw new InvalidDataException($"'{path}': statx returned no owner");
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int directoryFd, string path, int flags, uint mask, out StatxBuffer buffer);

    // struct statx has one layout on every Linux architecture.
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct StatxBuffer
    {
        [FieldOffset(0x00)]
        public uint Mask;

        [FieldOffset(0x14)]
        public uint Uid;
    }
}
