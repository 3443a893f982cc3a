using System.Runtime.InteropServices;

namespace LxAnnotate.EndToEnd.Tests.Support;

/// <summary>
/// Counts the opens of a directory and of the files in it (inotify <c>IN_OPEN</c>), by any process, from creation until
/// <see cref="Opens"/> is read: how a test sees that a process read files it never names in its output.
/// </summary>
internal sealed partial class OpenWatch : IDisposable
{
    private const int InNonBlock = 0x800;
    private const int InCloExec = 0x80000;
    private const uint InOpen = 0x20;
    private const int EventHeaderBytes = 16; // wd, mask, cookie, len: four 32-bit fields, then len bytes of name
    private const int WouldBlock = 11; // EAGAIN

    private readonly int descriptor;

    public OpenWatch(string directory)
    {
        descriptor = InotifyInit1(InNonBlock | InCloExec);
        if (descriptor < 0)
        {
            throw new IOException($"inotify_init1 failed: errno {Marshal.GetLastPInvokeError()}");
        }

        if (InotifyAddWatch(descriptor, directory, InOpen) < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            _ = Close(descriptor);
            throw new IOException($"inotify_add_watch({directory}) failed: errno {errno}");
        }
    }

    /// <summary>The opens seen so far: the name opened in the directory, or "." for the directory itself.</summary>
    public IReadOnlyList<string> Opens()
    {
        var opens = new List<string>();
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var read = Read(descriptor, buffer, buffer.Length);
            if (read < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                return errno == WouldBlock ? opens : throw new IOException($"reading inotify events failed: errno {errno}");
            }

            for (var offset = 0; offset + EventHeaderBytes <= read;)
            {
                var nameBytes = BitConverter.ToInt32(buffer, offset + 12);
                var name = System.Text.Encoding.UTF8.GetString(buffer, offset + EventHeaderBytes, nameBytes).TrimEnd('\0');
                opens.Add(name.Length == 0 ? "." : name);
                offset += EventHeaderBytes + nameBytes;
            }
        }
    }

    public void Dispose() => _ = Close(descriptor);

    [LibraryImport("libc", EntryPoint = "inotify_init1", SetLastError = true)]
    private static partial int InotifyInit1(int flags);

    [LibraryImport("libc", EntryPoint = "inotify_add_watch", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int InotifyAddWatch(int descriptor, string path, uint mask);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    private static partial nint Read(int descriptor, byte[] buffer, nint count);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int descriptor);
}
