using System.Security.Cryptography;
using LxAnnotate.Hub.Envelopes;
using LxAnnotate.Hub.Storage;
using LxAnnotate.Hub.Storage.Encryption;
using LxAnnotate.Shared.Envelope;
using LxAnnotate.TestSupport;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace LxAnnotate.Hub.Tests.Envelopes;

public sealed class EnvelopeOpenerTests
{
    private static readonly X25519PrivateKeyParameters Recipient = new(new SecureRandom());

    [Fact]
    public async Task OpenToFileAsync_ExpectedMedia_StagesVerifiedPlaintext()
    {
        var content = RandomNumberGenerator.GetBytes(10_000);
        var (envelope, ciphertext) = await EncryptAsync(content);
        using var directory = new TempDirectory();
        var target = directory.Combine("plain");

        await using var staging = await StagingFile.CreateAsync(target, null, OwnerOnly, long.MaxValue, Timeout());
        var opened = await EnvelopeOpener.OpenIntoAsync(
            envelope, new RecipientKeyRing([Recipient]), new MemoryStream(ciphertext), staging, new ExpectedMedia(Sha256(content), content.Length), Timeout());

        Assert.Equal(content, await File.ReadAllBytesAsync(target));
        Assert.Equal(target, opened.Plaintext.Path);
        Assert.Equal(Sha256(content), opened.Plaintext.Sha256);
        Assert.Equal(content.Length, opened.Plaintext.SizeBytes);
        Assert.Equal(Sha256(ciphertext), opened.CiphertextSha256);
    }

    [Fact]
    public async Task OpenToFileAsync_OtherMediaExpected_MediaMismatchAndNoPlaintextLeft()
    {
        var content = RandomNumberGenerator.GetBytes(1_000);
        var (envelope, ciphertext) = await EncryptAsync(content);
        using var directory = new TempDirectory();
        var target = directory.Combine("plain");

        var refused = await Assert.ThrowsAsync<EnvelopeRefusedException>(async () =>
        {
            await using var staging = await StagingFile.CreateAsync(target, null, OwnerOnly, long.MaxValue, Timeout());
            await EnvelopeOpener.OpenIntoAsync(envelope, new RecipientKeyRing([Recipient]), new MemoryStream(ciphertext), staging, new ExpectedMedia(new string('b', 64)), Timeout());
        });

        Assert.True(refused.IsMediaMismatch);
        Assert.False(File.Exists(target));
    }

    [Fact]
    public async Task OpenToFileAsync_NoRecipientKey_RefusedWithTheEnvelopeError()
    {
        var content = RandomNumberGenerator.GetBytes(100);
        var (envelope, ciphertext) = await EncryptAsync(content);
        using var directory = new TempDirectory();

        var target = directory.Combine("plain");

        var refused = await Assert.ThrowsAsync<EnvelopeRefusedException>(async () =>
        {
            await using var staging = await StagingFile.CreateAsync(target, null, OwnerOnly, long.MaxValue, Timeout());
            await EnvelopeOpener.OpenIntoAsync(envelope, RecipientKeyRing.Empty, new MemoryStream(ciphertext), staging, new ExpectedMedia(Sha256(content)), Timeout());
        });

        Assert.False(File.Exists(target));
        Assert.False(refused.IsMediaMismatch);
        Assert.Equal("recipient_key_unavailable", refused.Envelope!.Code);
        Assert.Equal("key_unwrap", refused.Envelope.Phase);
    }

    [Fact]
    public async Task OpenIntoAsync_EncryptingTarget_StagesLxenc01ThatDecryptsToTheMedia()
    {
        var content = RandomNumberGenerator.GetBytes(3 * 1024 * 1024 + 17);
        var (envelope, ciphertext) = await EncryptAsync(content);
        var ring = new MasterKeyRing(RandomNumberGenerator.GetBytes(32));
        using var directory = new TempDirectory();
        var target = directory.Combine("staged");

        await using var staging = await StagingFile.CreateAsync(target, ring, OwnerOnly, long.MaxValue, Timeout());
        var opened = await EnvelopeOpener.OpenIntoAsync(
            envelope, new RecipientKeyRing([Recipient]), new MemoryStream(ciphertext), staging, new ExpectedMedia(Sha256(content), content.Length), Timeout());

        Assert.True(opened.Plaintext.Encrypted);
        Assert.True(LxEnc01.IsEncryptedFile(target));
        Assert.Equal(Sha256(content), opened.Plaintext.Sha256);
        Assert.Equal(Sha256(content), await EncryptedFile.Sha256Async(target, ring, content.Length));
    }

    [Fact]
    public async Task EnsureOpenable_AlteredMetadata_RefusedAsAuthenticationFailed()
    {
        var (envelope, _) = await EncryptAsync(RandomNumberGenerator.GetBytes(64));

        var refused = Assert.Throws<EnvelopeRefusedException>(() =>
            EnvelopeOpener.EnsureOpenable(envelope with { SourceCenterKey = "other-center" }, new RecipientKeyRing([Recipient])));

        Assert.Equal("authentication_failed", refused.Envelope!.Code);
    }

    private static async Task<(MediaEnvelope Envelope, byte[] Ciphertext)> EncryptAsync(byte[] content)
    {
        using var output = new MemoryStream();
        var identity = new EnvelopeIdentity("n__report__" + new string('a', 64) + "__processed_v1", "n", "c", "hub", "report", new string('a', 64), "metadata_and_processed_media", "processed");
        var envelope = await EnvelopeCrypto.EncryptAsync(() => new MemoryStream(content), output, Recipient.GeneratePublicKey(), identity, null, Timeout());
        return (envelope, output.ToArray());
    }

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static CancellationToken Timeout() => new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;
}
