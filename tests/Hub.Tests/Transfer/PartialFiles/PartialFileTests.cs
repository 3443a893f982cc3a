using System.Security.Cryptography;
using LxAnnotate.Hub.Transfer.PartialFiles;
using LxAnnotate.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace LxAnnotate.Hub.Tests.Transfer.PartialFiles;

public sealed class PartialFileTests
{
    [Fact]
    public async Task ResumeAsync_BytesBeyondDurableOffset_AreDroppedAndTheRestHashedAgain()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("t.part");
        var content = RandomNumberGenerator.GetBytes(5000);
        await File.WriteAllBytesAsync(path, [.. content.AsSpan(0, 1000), .. RandomNumberGenerator.GetBytes(2000)]);

        await using (var file = PartialFile.Open(path, null, NullLogger.Instance))
        {
            Assert.True(await file.ResumeAsync(1000, CancellationToken.None));
            Assert.Equal(1000, file.Position);
            Assert.Equal(1000, new FileInfo(path).Length);

            await file.AppendAsync(content.AsMemory(1000), CancellationToken.None);

            Assert.Equal(content.Length, file.Position);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), file.Sha256());
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

    [Fact]
    public async Task CheckpointIfDueAsync_RecordsOnlyOffsetsAnEarlierFsyncCoveredAndTrailsByAtMostOneCheckpoint()
    {
        using var dir = new TempDirectory();
        var recorded = new List<long> { 0 };
        await using var file = PartialFile.Open(dir.Combine("t.part"), null, NullLogger.Instance);
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
    }
}
