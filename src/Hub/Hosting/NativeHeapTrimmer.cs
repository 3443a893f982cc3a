using System.Diagnostics;

namespace LxAnnotate.Hub.Hosting;

/// <summary>
/// Every <see cref="NativeHeapTrimOptions.Interval"/> in which the hub did work, the pages of native memory it freed
/// are handed back to the kernel (<see cref="GlibcHeap.Trim"/>). After its first transfers a hub held about 13 MiB
/// of freed C heap (60 % of it) that glibc would otherwise keep resident for good (docs/performance.md).
/// </summary>
internal sealed partial class NativeHeapTrimmer(NativeHeapTrimOptions options, ILogger<NativeHeapTrimmer> logger) : BackgroundService
{
    /// <summary>A tick with less managed allocation than this since the last trim is taken as idle: nothing new to give back.</summary>
    public const long ActivityBytes = 16L * 1024 * 1024;

    private long allocatedAtLastTrim = long.MinValue / 2;

    /// <summary>One tick: trims unless the process was idle since the last trim.</summary>
    public NativeHeapTrimOutcome Tick() => Tick(GC.GetTotalAllocatedBytes(precise: true));

    /// <summary>One tick, given the managed bytes the process allocated so far.</summary>
    public NativeHeapTrimOutcome Tick(long allocated)
    {
        if (allocated - allocatedAtLastTrim < ActivityBytes)
        {
            return NativeHeapTrimOutcome.Idle;
        }

        allocatedAtLastTrim = allocated;
        var residentBefore = Environment.WorkingSet;
        var started = Stopwatch.GetTimestamp();
        var released = GlibcHeap.Trim();
        if (released is null)
        {
            return NativeHeapTrimOutcome.Unsupported;
        }

        LogTrimmed(logger, (residentBefore - Environment.WorkingSet) / 1024, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return released.Value ? NativeHeapTrimOutcome.Released : NativeHeapTrimOutcome.NothingToRelease;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Interval is not { } interval)
        {
            return;
        }

        using var timer = new PeriodicTimer(interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (Tick() == NativeHeapTrimOutcome.Unsupported)
            {
                LogUnsupported(logger);
                return;
            }
        }
    }

    [LoggerMessage(EventId = 1103, Level = LogLevel.Debug, Message = "native heap trimmed: resident set {ReleasedKiB} KiB smaller, {Milliseconds:F1} ms")]
    private static partial void LogTrimmed(ILogger logger, long releasedKiB, double milliseconds);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Information, Message = "the C library has no malloc_trim; freed native memory is left to it")]
    private static partial void LogUnsupported(ILogger logger);
}
