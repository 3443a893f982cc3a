namespace LxAnnotate.Hub.Processing.Tools;

/// <summary>
/// Bounds for one external tool run: a wall-clock timeout (the process tree is killed when it passes),
/// an address-space limit (<c>RLIMIT_AS</c>) and a CPU-time limit (<c>RLIMIT_CPU</c>), both applied by
/// <c>prlimit</c> before the tool starts so they hold for the tool and everything it spawns.
/// </summary>
/// <param name="Timeout">Wall-clock limit; the whole process tree is killed when it passes.</param>
/// <param name="MaxAddressSpaceBytes">Virtual memory limit of the tool process.</param>
/// <param name="MaxCpuSeconds">CPU seconds the tool may use (the kernel sends SIGXCPU, then SIGKILL).</param>
/// <param name="MaxStdoutBytes">Largest standard output kept; more is an <see cref="ExternalToolFailure.OutputTooLarge"/> failure.</param>
internal sealed record ToolLimits(TimeSpan Timeout, long MaxAddressSpaceBytes, int MaxCpuSeconds, int MaxStdoutBytes = 16 * 1024 * 1024)
{
    /// <summary>Single-image work (a frame grab, one OCR batch, one page raster): 2 min, 2 GiB, 120 CPU s.</summary>
    public static ToolLimits Short { get; } = new(TimeSpan.FromMinutes(2), 2L * 1024 * 1024 * 1024, 120);

    /// <summary>
    /// A bound for encoding a video of <paramref name="duration"/>: 10 min plus 4× the duration of wall
    /// clock, the same in CPU seconds per core used by x264, and 3 GiB of address space.
    /// </summary>
    public static ToolLimits ForEncode(TimeSpan duration)
    {
        var seconds = Math.Clamp(duration.TotalSeconds, 0, 24 * 3600);
        var wall = TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(seconds * 4);
        return new ToolLimits(wall, 3L * 1024 * 1024 * 1024, (int)Math.Min(int.MaxValue, wall.TotalSeconds * 2));
    }
}
