using System.Security.Cryptography;
using LxAnnotate.Hub.Storage.Encryption;
using LxAnnotate.Hub.Transfer.PartialFiles;
using LxAnnotate.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace LxAnnotate.Hub.Tests.Transfer.PartialFiles;

/// <summary>
/// The partial file of an encrypted-class transfer: LXENC01 from the first byte, durable only in whole records,
/// resumable from its durable offset, and the stored file at the end — with no plaintext on disk at any point.
/// </summary>
public sealed class EncryptedPartialFileTests
{
    private const int Chunk = LxEnc01.DefaultChunkSize;

    private readonly MasterKeyRing ring = new(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public async Task AppendAsync_PartOfAChunk_DurableOnlyUpToTheLastSealedRecord()
    {
        using var dir = new TempDirectory();
        var marker = PlaintextMarker.New();
        var content = PlaintextMarker.Pdf(marker, (2 * Chunk) + 1000);

        await using var file = PartialFile.Open(dir.Combine("t.lxenc.part"), ring, NullLogger.Instance);
        Assert.True(await file.ResumeAsync(0, CancellationToken.None));
        await file.AppendAsync(content, CancellationToken.None);

        Assert.Equal(content.Length, file.Position);
        Assert.Equal(2 * Chunk, await file.SyncToDiskAsync());
        Assert.Empty(PlaintextMarker.FilesContaining(dir.Path, marker));
    }

    [Fact]
    public async Task ResumeAsync_AfterAnInterruption_ContinuesAndCompletesAsTheStoredFile()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("t.lxenc.part");
        var marker = PlaintextMarker.New();
        var content = PlaintextMarker.Pdf(marker, (3 * Chunk) + 12345);
        long durable;
        await using (var first = PartialFile.Open(path, ring, NullLogger.Instance))
        {
            Assert.True(await first.ResumeAsync(0, CancellationToken.None));
            await first.AppendAsync(content.AsMemory(0, Chunk + 500), CancellationToken.None);
            durable = await first.SyncToDiskAsync();
        }

        await using (var second = PartialFile.Open(path, ring, NullLogger.Instance))
        {
            Assert.True(await second.ResumeAsync(durable, CancellationToken.None));
            Assert.Equal(Chunk, second.Position);
            await second.AppendAsync(content.AsMemory(Chunk), CancellationToken.None);
            await second.SealAsync(CancellationToken.None);

            Assert.Equal(content.Length, await second.SyncToDiskAsync());
            Assert.Equal(Sha256(content), second.Sha256());
        }

        Assert.Equal(Chunk, durable);
        Assert.Empty(PlaintextMarker.FilesContaining(dir.Path, marker));
        Assert.Equal(Sha256(content), await EncryptedFile.Sha256Async(path, ring, content.Length));
    }

    [Fact]
    public async Task ResumeAsync_RecordsPastTheDurableOffset_CutAndTheFileRekeyed()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("t.lxenc.part");
        var content = RandomNumberGenerator.GetBytes((3 * Chunk) + 7);
        await using (var crashed = PartialFile.Open(path, ring, NullLogger.Instance))
        {
            // Three records written, only the first recorded: a crash between the writes and the checkpoint.
            Assert.True(await crashed.ResumeAsync(0, CancellationToken.None));
            await crashed.AppendAsync(content.AsMemory(0, 3 * Chunk), CancellationToken.None);
            await crashed.SyncToDiskAsync();
        }

        var headerBefore = await HeaderAsync(path);
        await using (var resumed = PartialFile.Open(path, ring, NullLogger.Instance))
        {
            Assert.True(await resumed.ResumeAsync(Chunk, CancellationToken.None));
            await resumed.AppendAsync(content.AsMemory(Chunk), CancellationToken.None);
            await resumed.SealAsync(CancellationToken.None);
            await resumed.SyncToDiskAsync();
            Assert.Equal(Sha256(content), resumed.Sha256());
        }

        Assert.NotEqual(headerBefore, await HeaderAsync(path));
        Assert.Equal(Sha256(content), await EncryptedFile.Sha256Async(path, ring, content.Length));
    }

    [Fact]
    public async Task ResumeAsync_AtTheDeclaredSizeWithAShortLastRecord_ResumesComplete()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("t.lxenc.part");
        var content = RandomNumberGenerator.GetBytes(Chunk + 99);
        await using (var first = PartialFile.Open(path, ring, NullLogger.Instance))
        {
            Assert.True(await first.ResumeAsync(0, CancellationToken.None));
            await first.AppendAsync(content, CancellationToken.None);
            await first.SealAsync(CancellationToken.None);
            Assert.Equal(content.Length, await first.SyncToDiskAsync());
        }

        await using var again = PartialFile.Open(path, ring, NullLogger.Instance);

        Assert.True(await again.ResumeAsync(content.Length, CancellationToken.None));
        Assert.Equal(content.Length, again.SealedPosition);
        Assert.Equal(Sha256(content), again.Sha256());
    }

    [Fact]
    public async Task ResumeAsync_FileShorterThanItsDurableOffset_IsFalse()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("t.lxenc.part");
        await using (var first = PartialFile.Open(path, ring, NullLogger.Instance))
        {
            Assert.True(await first.ResumeAsync(0, CancellationToken.None));
            await first.AppendAsync(RandomNumberGenerator.GetBytes(Chunk), CancellationToken.None);
            await first.SyncToDiskAsync();
        }

        await using var resumed = PartialFile.Open(path, ring, NullLogger.Instance);

        Assert.False(await resumed.ResumeAsync(2 * Chunk, CancellationToken.None));
    }

    [Fact]
    public async Task ResumeAsync_UnderAnotherMasterKey_IsFalse()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("t.lxenc.part");
        await using (var first = PartialFile.Open(path, ring, NullLogger.Instance))
        {
            Assert.True(await first.ResumeAsync(0, CancellationToken.None));
            await first.AppendAsync(RandomNumberGenerator.GetBytes(Chunk), CancellationToken.None);
            await first.SyncToDiskAsync();
        }

        await using var resumed = PartialFile.Open(path, new MasterKeyRing(RandomNumberGenerator.GetBytes(32)), NullLogger.Instance);

        Assert.False(await resumed.ResumeAsync(Chunk, CancellationToken.None));
    }

    private static async Task<byte[]> HeaderAsync(string path) => (await File.ReadAllBytesAsync(path))[..512];

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
