using System.Security.Cryptography;
using LxAnnotate.Hub.Transfer.PartialFiles;
using LxAnnotate.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace LxAnnotate.Hub.Tests.Transfer.PartialFiles;

/// <summary>
/// Run alone: the direct-write buffers are shared by the whole process (one stream per core), and these tests assert
/// which of their files got one.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DirectWriteTestGroup
{
    public const string Name = "direct writes";
}

[Collection(DirectWriteTestGroup.Name)]
public sealed class PartialFileTests
{
    [Theory]
    [InlineData(false, 1000, 5000)]
    [InlineData(true, 1000, 5000)]

    // Past the page cache: resumed inside a block, across several 1 MiB direct writes, ending inside a block.
    [InlineData(true, 4096 + 100, (3 * DirectAppend.Capacity) + 5000)]
    [InlineData(true, DirectAppend.Capacity, (2 * DirectAppend.Capacity) + 1)]
    public async Task ResumeAsync_BytesBeyondDurableOffset_AreDroppedAndTheRestHashedAgain(bool bypassPageCache, int durable, int length)
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("t.part");
        var content = RandomNumberGenerator.GetBytes(length);
        await File.WriteAllBytesAsync(path, [.. content.AsSpan(0, durable), .. RandomNumberGenerator.GetBytes(2000)]);

        await using (var file = PartialFile.Open(path, null, NullLogger.Instance, bypassPageCache))
        {
            Assert.True(await file.ResumeAsync(durable, CancellationToken.None));
            Assert.Equal(bypassPageCache, file.WritesDirect);
            Assert.Equal(durable, file.Position);
            Assert.Equal(durable, new FileInfo(path).Length);

            // In chunks that do not line up with the direct writes' blocks.
            for (var offset = durable; offset < length; offset += 300_001)
            {
                await file.AppendAsync(content.AsMemory(offset, Math.Min(300_001, length - offset)), CancellationToken.None);
            }

            Assert.Equal(content.Length, file.Position);
            Assert.Equal(content.Length, await file.SyncToDiskAsync());
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), file.Sha256());
        }

        Assert.Equal(content, await File.ReadAllBytesAsync(path));
    }

    [Fact]
    public async Task SyncToDisk_PastThePageCache_PutsTheGatheredTailOnTheFileAndLaterBytesFollowIt()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("t.part");
        var content = RandomNumberGenerator.GetBytes(DirectAppend.Capacity + 10_000);

        await using (var file = PartialFile.Open(path, null, NullLogger.Instance))
        {
            Assert.True(await file.ResumeAsync(0, CancellationToken.None));
            Assert.True(file.WritesDirect);

            await file.AppendAsync(content.AsMemory(0, 5000), CancellationToken.None);
            Assert.Equal(5000, await file.SyncToDiskAsync());

            // Written padded to a whole block, then cut back to the bytes received.
            Assert.Equal(5000, new FileInfo(path).Length);

            await file.AppendAsync(content.AsMemory(5000), CancellationToken.None);
            Assert.Equal(content.Length, await file.SyncToDiskAsync());
        }

        Assert.Equal(content, await File.ReadAllBytesAsync(path));
    }

    [Fact]
    public async Task ResumeAsync_FileShorterThanDurableOffset_IsFalseAndKeepsTheFile()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("t.part");
        await File.WriteAllBytesAsync(path, RandomNumberGenerator.GetBytes(500));

        await using (var file = PartialFile.Open(path, null, NullLogger.Instance))
        {
            Assert.False(await file.ResumeAsync(1000, CancellationToken.None));
        }

        Assert.Equal(500, new FileInfo(path).Length);
    }

    [Fact]
    public async Task Open_WhileAnotherCallHoldsTheFile_ThrowsIOException()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("t.part");

        await using var first = PartialFile.Open(path, null, NullLogger.Instance);

        Assert.ThrowsAny<IOException>(() => PartialFile.Open(path, null, NullLogger.Instance));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CheckpointIfDueAsync_RecordsOnlyOffsetsAnEarlierFsyncCoveredAndTrailsByAtMostOneCheckpoint(bool bypassPageCache)
    {
        using var dir = new TempDirectory();
        var recorded = new List<long> { 0 };
        var path = dir.Combine("t.part");
        await using var file = PartialFile.Open(path, null, NullLogger.Instance, bypassPageCache);
        Assert.True(await file.ResumeAsync(0, CancellationToken.None));

        foreach (var _ in Enumerable.Range(0, 6))
        {
            await file.AppendAsync(new byte[400], CancellationToken.None);
            await file.CheckpointIfDueAsync(1000, offset =>
            {
                recorded.Add(offset);
                return Task.CompletedTask;
            });

            // What a crash now would make the sender re-send: one checkpoint at most, plus the chunk crossing the mark.
            Assert.InRange(file.Position - recorded[^1], 0, 1000 + 400);
        }

        await file.FinishSyncAsync();

        // An fsync starts at each half checkpoint crossed (800, 1600, 2400); the next one records what the previous covered.
        Assert.Equal([0L, 0L, 800L, 1600L], recorded);

        // Bytes gathered for a direct write went on the file before each fsync: the file holds the last one's 2400.
        Assert.Equal(2400, new FileInfo(path).Length);
    }

    [Fact]
    public async Task Open_MoreStreamsThanDirectBuffers_TheRestWriteThroughThePageCacheAndAllKeepTheirBytes()
    {
        using var dir = new TempDirectory();
        var content = RandomNumberGenerator.GetBytes(DirectAppend.Capacity + 100);
        var files = new List<PartialFile>();
        try
        {
            foreach (var i in Enumerable.Range(0, DirectAppend.MaxStreams + 1))
            {
                var file = PartialFile.Open(dir.Combine($"{i}.part"), null, NullLogger.Instance);
                files.Add(file);
                Assert.True(await file.ResumeAsync(0, CancellationToken.None));
                await file.AppendAsync(content, CancellationToken.None);
                Assert.Equal(content.Length, await file.SyncToDiskAsync());
            }

            // The buffers are shared by the whole hub: as many direct streams as buffers, the rest through the page cache.
            Assert.Equal(DirectAppend.MaxStreams, files.Count(f => f.WritesDirect));
            Assert.False(files[^1].WritesDirect);
        }
        finally
        {
            foreach (var file in files)
            {
                await file.DisposeAsync();
            }
        }

        foreach (var i in Enumerable.Range(0, DirectAppend.MaxStreams + 1))
        {
            Assert.Equal(content, await File.ReadAllBytesAsync(dir.Combine($"{i}.part")));
        }

        // Given back when the files closed: the next stream writes past the page cache again.
        await using var next = PartialFile.Open(dir.Combine("next.part"), null, NullLogger.Instance);
        Assert.True(await next.ResumeAsync(0, CancellationToken.None));
        Assert.True(next.WritesDirect);
    }
}
