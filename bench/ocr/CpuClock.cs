using System.Runtime.InteropServices;

namespace LxAnnotate.Bench.Ocr;

/// <summary>
/// CPU seconds (user + system) of this process plus its reaped children (<c>getrusage</c>): the tools ffmpeg,
/// ffprobe and Tesseract run as children, so the difference of two readings is the CPU a stage cost, whatever
/// else runs on the machine.
/// </summary>
internal static partial class CpuClock
{
    private const int Self = 0;
    private const int Children = -1;

    public static double Now() => Read(Self) + Read(Children);

    private static double Read(int who)
    {
        var usage = new RUsage();
        return GetRUsage(who, ref usage) == 0
            ? usage.UserSeconds + (usage.UserMicros / 1e6) + usage.SystemSeconds + (usage.SystemMicros / 1e6)
            : throw new InvalidOperationException("getrusage failed");
    }

    [LibraryImport("libc", EntryPoint = "getrusage")]
    private static partial int GetRUsage(int who, ref RUsage usage);

    // struct rusage on 64-bit Linux: two timevals, then 14 longs.
    [StructLayout(LayoutKind.Sequential)]
    private struct RUsage
    {
        public long UserSeconds;
        public long UserMicros;
        public long SystemSeconds;
        public long SystemMicros;
        public long MaxRss, IxRss, IdRss, IsRss, MinFlt, MajFlt, NSwap, InBlock, OuBlock, MsgSnd, MsgRcv, NSignals, NVcsw, NIvcsw;
    }
}
