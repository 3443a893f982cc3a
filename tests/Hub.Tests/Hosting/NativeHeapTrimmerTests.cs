using System.Globalization;
using System.Runtime.InteropServices;
using LxAnnotate.Hub.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace LxAnnotate.Hub.Tests.Hosting;

/// <summary>
/// glibc's malloc_trim through <see cref="GlibcHeap"/> and <see cref="NativeHeapTrimmer"/>. They read process-wide
/// figures (the C heap's resident pages, the managed bytes allocated), so they run after the parallel tests, alone.
/// </summary>
[Collection(NativeHeapTestGroup.Name)]
public sealed class NativeHeapTrimmerTests
{
    private const int BlockBytes = 64 * 1024; // under glibc's mmap threshold (128 KiB): served from a C heap
    private const int Blocks = 128;

    [Fact]
    public void Trim_FreedBlocksInTheMiddleOfAHeap_TheirPagesLeaveTheResidentSet()
    {
        var filler = new byte[BlockBytes];
        Array.Fill(filler, (byte)0x5a);
        var blocks = new nint[Blocks];
        for (var i = 0; i < Blocks; i++)
        {
            blocks[i] = Marshal.AllocHGlobal(BlockBytes); // malloc
            Marshal.Copy(filler, 0, blocks[i], BlockBytes);
        }

        // One more block of the same size lies after them and is kept: the freed range is not the top of its heap,
        // which glibc gives back by itself.
        var guard = Marshal.AllocHGlobal(BlockBytes);
        try
        {
            var address = blocks[Blocks / 2];
            foreach (var block in blocks)
            {
                Marshal.FreeHGlobal(block);
            }

            var before = ResidentKiB(address);
            var released = GlibcHeap.Trim();
            var after = ResidentKiB(address);

            Assert.True(released);
            Assert.True(before - after >= Blocks * BlockBytes / 1024 * 3 / 4, $"resident KiB of the heap {before} -> {after}");
        }
        finally
        {
            Marshal.FreeHGlobal(guard);
        }
    }

    [Fact]
    public void Tick_AfterAllocation_TrimsThenIdleUntilTheNextAllocation()
    {
        var trimmer = new NativeHeapTrimmer(new NativeHeapTrimOptions(TimeSpan.FromSeconds(10)), NullLogger<NativeHeapTrimmer>.Instance);

        var first = trimmer.Tick(); // nothing trimmed yet: the process's whole history counts as activity
        var idle = trimmer.Tick();
        GC.KeepAlive(new byte[NativeHeapTrimmer.ActivityBytes + 1024]);
        var busy = trimmer.Tick();

        Assert.Contains(first, new[] { NativeHeapTrimOutcome.Released, NativeHeapTrimOutcome.NothingToRelease });
        Assert.Equal(NativeHeapTrimOutcome.Idle, idle);
        Assert.Contains(busy, new[] { NativeHeapTrimOutcome.Released, NativeHeapTrimOutcome.NothingToRelease });
    }

    /// <summary>The resident KiB of the mapping that holds <paramref name="address"/>, from /proc/self/smaps.</summary>
    private static long ResidentKiB(nint address)
    {
        var inside = false;
        foreach (var line in File.ReadLines("/proc/self/smaps"))
        {
            var dash = line.IndexOf('-', StringComparison.Ordinal);
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (dash > 0 && space > dash && !line.StartsWith("Rss:", StringComparison.Ordinal) && line[..dash].All(Uri.IsHexDigit))
            {
                var start = long.Parse(line[..dash], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                var end = long.Parse(line[(dash + 1)..space], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                inside = start <= address && address < end;
            }
            else if (inside && line.StartsWith("Rss:", StringComparison.Ordinal))
            {
                return long.Parse(line["Rss:".Length..].Replace("kB", "", StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"No mapping holds 0x{address:x}.");
    }
}
