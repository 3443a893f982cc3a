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
    private const int PageBytes = 4096;

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
            // The pages inside the blocks (their first page holds glibc's chunk header and stays).
            var pages = blocks.SelectMany(b => Enumerable.Range(1, (BlockBytes / PageBytes) - 2).Select(p => ((b + PageBytes - 1) & ~(nint)(PageBytes - 1)) + (p * PageBytes))).ToList();
            foreach (var block in blocks)
            {
                Marshal.FreeHGlobal(block);
            }

            var before = ResidentShare(pages);
            var released = GlibcHeap.Trim();
            var after = ResidentShare(pages);

            Assert.True(released);
            Assert.True(before > 0.9, $"resident before the trim: {before:P0}");
            Assert.True(after < 0.25, $"resident after the trim: {after:P0}"); // other threads may reuse a little of it meanwhile
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
        const long Start = 500L * 1024 * 1024;

        var first = trimmer.Tick(Start); // nothing trimmed yet: the process's whole history counts as activity
        var idle = trimmer.Tick(Start + NativeHeapTrimmer.ActivityBytes - 1);
        var busy = trimmer.Tick(Start + NativeHeapTrimmer.ActivityBytes);
        var idleAgain = trimmer.Tick(Start + NativeHeapTrimmer.ActivityBytes + 1024);

        Assert.Contains(first, new[] { NativeHeapTrimOutcome.Released, NativeHeapTrimOutcome.NothingToRelease });
        Assert.Equal(NativeHeapTrimOutcome.Idle, idle);
        Assert.Contains(busy, new[] { NativeHeapTrimOutcome.Released, NativeHeapTrimOutcome.NothingToRelease });
        Assert.Equal(NativeHeapTrimOutcome.Idle, idleAgain);
    }

    /// <summary>The share of <paramref name="pages"/> that is resident, from /proc/self/pagemap (bit 63 of each page's entry).</summary>
    private static double ResidentShare(List<nint> pages)
    {
        using var pagemap = new FileStream("/proc/self/pagemap", FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1);
        var entry = new byte[8];
        var resident = 0;
        foreach (var page in pages)
        {
            pagemap.Position = (long)page / PageBytes * 8;
            pagemap.ReadExactly(entry);
            resident += (BitConverter.ToUInt64(entry) >> 63) == 1 ? 1 : 0;
        }

        return (double)resident / pages.Count;
    }
}
