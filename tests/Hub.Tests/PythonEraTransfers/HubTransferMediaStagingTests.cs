using System.Security.Cryptography;
using LxAnnotate.Hub.PythonEraTransfers;
using LxAnnotate.Hub.Storage.Encryption;
using LxAnnotate.TestSupport;
using static LxAnnotate.Hub.Tests.PythonEraTransfers.HubTransferMediaSamples;

namespace LxAnnotate.Hub.Tests.PythonEraTransfers;

public sealed class HubTransferMediaStagingTests
{
    [Fact]
    public async Task StageAsync_PlaintextOfTheTransfer_StagedOwnerOnlyWithItsHash()
    {
        var content = RandomNumberGenerator.GetBytes(5_000);
        using var directory = new TempDirectory();
        var staging = directory.Combine("media.part");

        var (staged, received, _) = await HubTransferMediaStaging.StageAsync(
            new MemoryStream(content), null, Job(Sha256(content), "2.0"), staging, Settings(), KeepAsIs, Timeout());

        Assert.Equal(Sha256(content), staged.Sha256);
        Assert.Equal(content.Length, staged.SizeBytes);
        Assert.Equal(staged.Sha256, received);
        Assert.Equal(content, await File.ReadAllBytesAsync(staging));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(staging));
    }

    [Fact]
    public async Task StageAsync_PlaintextWithAnotherHash_ProcessedMediaHashMismatch()
    {
        using var directory = new TempDirectory();

        var refusal = await Assert.ThrowsAsync<HubTransferRefusal>(() => HubTransferMediaStaging.StageAsync(
            new MemoryStream([1, 2, 3]), null, Job(new string('f', 64), "2.0"), directory.Combine("media.part"), Settings(), KeepAsIs, Timeout()));

        AssertMismatch(refusal);
    }

    [Fact]
    public async Task StageAsync_EmptyPlaintext_MediaEmpty()
    {
        using var directory = new TempDirectory();

        var refusal = await Assert.ThrowsAsync<HubTransferRefusal>(() => HubTransferMediaStaging.StageAsync(
            new MemoryStream(), null, Job(Sha256([]), "2.0"), directory.Combine("media.part"), Settings(), KeepAsIs, Timeout()));

        AssertRefusal(refusal, 400, "media_empty", "media_receive", "The media file is empty.", "file");
    }

    [Fact]
    public async Task StageAsync_PlaintextOverTheLimit_MediaTooLarge()
    {
        var content = RandomNumberGenerator.GetBytes(2_000);
        using var directory = new TempDirectory();

        var refusal = await Assert.ThrowsAsync<HubTransferRefusal>(() => HubTransferMediaStaging.StageAsync(
            new MemoryStream(content), null, Job(Sha256(content), "2.0"), directory.Combine("media.part"), Settings(maxUploadBytes: 1_000), KeepAsIs, Timeout()));

        AssertRefusal(refusal, 413, "media_too_large", "media_receive", "The media is larger than the hub's limit of 1000 bytes.", "file");
    }

    [Fact]
    public async Task StageAsync_EnvelopeOfTheTransfer_PlaintextStagedAndCiphertextHashReceived()
    {
        var content = RandomNumberGenerator.GetBytes(20_000);
        var (envelope, ciphertext) = await SealAsync(content);
        using var directory = new TempDirectory();
        var staging = directory.Combine("media.part");

        var (staged, received, _) = await HubTransferMediaStaging.StageAsync(
            new MemoryStream(ciphertext), envelope, Job(Sha256(content)), staging, Settings(), KeepAsIs, Timeout());

        Assert.Equal(Sha256(content), staged.Sha256);
        Assert.Equal(staging, staged.Path);
        Assert.Equal(Sha256(ciphertext), received);
        Assert.Equal(content, await File.ReadAllBytesAsync(staging));
    }

    [Fact]
    public async Task StageAsync_EnvelopeOfOtherMedia_ProcessedMediaHashMismatchAndNoPlaintextLeft()
    {
        var content = RandomNumberGenerator.GetBytes(1_000);
        var (envelope, ciphertext) = await SealAsync(content);
        using var directory = new TempDirectory();
        var staging = directory.Combine("media.part");

        var refusal = await Assert.ThrowsAsync<HubTransferRefusal>(() => HubTransferMediaStaging.StageAsync(
            new MemoryStream(ciphertext), envelope, Job(new string('f', 64)), staging, Settings(), KeepAsIs, Timeout()));

        AssertMismatch(refusal);
        Assert.False(File.Exists(staging));
    }

    [Fact]
    public async Task StageAsync_EnvelopeForAnotherRecipient_RefusedWithTheEnvelopeError()
    {
        var content = RandomNumberGenerator.GetBytes(1_000);
        var (envelope, ciphertext) = await SealAsync(content);
        using var directory = new TempDirectory();

        var refusal = await Assert.ThrowsAsync<HubTransferRefusal>(() => HubTransferMediaStaging.StageAsync(
            new MemoryStream(ciphertext), envelope, Job(Sha256(content)), directory.Combine("media.part"), Settings() with { RecipientKeys = LxAnnotate.Shared.Envelope.RecipientKeyRing.Empty }, KeepAsIs, Timeout()));

        Assert.Equal(400, refusal.StatusCode);
        Assert.Equal("recipient_key_unavailable", refusal.Code);
        Assert.Equal("key_unwrap", refusal.Phase);
    }

    [Fact]
    public async Task StageAsync_TamperedCiphertext_RefusedAndNoPlaintextLeft()
    {
        var content = RandomNumberGenerator.GetBytes(1_000);
        var (envelope, ciphertext) = await SealAsync(content);
        ciphertext[^1] ^= 0x01;
        using var directory = new TempDirectory();
        var staging = directory.Combine("media.part");

        var refusal = await Assert.ThrowsAsync<HubTransferRefusal>(() => HubTransferMediaStaging.StageAsync(
            new MemoryStream(ciphertext), envelope, Job(Sha256(content)), staging, Settings(), KeepAsIs, Timeout()));

        Assert.Equal(400, refusal.StatusCode);
        Assert.NotEqual("processed_media_hash_mismatch", refusal.Code);
        Assert.NotNull(refusal.Code);
        Assert.False(File.Exists(staging));
    }

    [Fact]
    public async Task StageAsync_PdfOfEncryptedClass_SealedIntoLxenc01AndNoPlaintextOnDisk()
    {
        var marker = PlaintextMarker.New();
        var content = PlaintextMarker.Pdf(marker, 3 * 1024 * 1024);
        var ring = new MasterKeyRing(RandomNumberGenerator.GetBytes(32));
        using var directory = new TempDirectory();
        var staging = directory.Combine("media.part");

        var (staged, received, contentType) = await HubTransferMediaStaging.StageAsync(
            new MemoryStream(content), null, Job(Sha256(content), "2.0"), staging, Settings(maxUploadBytes: 8 * 1024 * 1024), type => type == "application/pdf" ? ring : null, Timeout());

        Assert.Equal("application/pdf", contentType);
        Assert.True(staged.Encrypted);
        Assert.Equal(Sha256(content), staged.Sha256);
        Assert.Equal(staged.Sha256, received);
        Assert.Empty(PlaintextMarker.FilesContaining(directory.Path, marker));
        await using var decrypted = LxEnc01ReadStream.OpenFile(staging, ring, content.Length);
        using var plain = new MemoryStream();
        await decrypted.CopyToAsync(plain);
        Assert.Equal(content, plain.ToArray());
    }

    [Fact]
    public async Task StageAsync_EnvelopedPdfOfEncryptedClass_DecryptedStraightIntoLxenc01()
    {
        var marker = PlaintextMarker.New();
        var content = PlaintextMarker.Pdf(marker, 200_000);
        var (envelope, ciphertext) = await SealAsync(content);
        var ring = new MasterKeyRing(RandomNumberGenerator.GetBytes(32));
        using var directory = new TempDirectory();
        var staging = directory.Combine("media.part");

        var (staged, _, contentType) = await HubTransferMediaStaging.StageAsync(
            new MemoryStream(ciphertext), envelope, Job(Sha256(content)), staging, Settings(), type => type == "application/pdf" ? ring : null, Timeout());

        Assert.Equal("application/pdf", contentType);
        Assert.True(staged.Encrypted);
        Assert.Empty(PlaintextMarker.FilesContaining(directory.Path, marker));
        Assert.Equal(Sha256(content), await EncryptedFile.Sha256Async(staging, ring, content.Length));
    }

    private static MasterKeyRing? KeepAsIs(string contentType) => null;

    private static void AssertMismatch(HubTransferRefusal refusal)
    {
        AssertRefusal(refusal, 400, "processed_media_hash_mismatch", "payload_verify", "The SHA-256 of the received media differs from the processed media hash of the transfer.", "file");
    }
}
