using System.Runtime.InteropServices;

namespace LxAnnotate.Hub.Hosting;

/// <summary>
/// glibc's <c>malloc_trim</c>: gives the pages of free chunks inside the C heaps back to the kernel. glibc
/// returns only the top of a heap on its own, so memory freed in the middle of an arena (native buffers of TLS,
/// the JIT's scratch memory) stays resident until this is called.
/// </summary>
internal static partial class GlibcHeap
{
    /// <summary>True when pages were released, false when there was nothing to release, null where the C library has no <c>malloc_trim</c> (not Linux, musl).</summary>
    public static bool? Trim()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            // 0: keep no padding at the top of the main heap.
            return MallocTrim(0) != 0;
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            return null;
        }
    }

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);
}
