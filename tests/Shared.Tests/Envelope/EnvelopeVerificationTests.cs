using System.Security.Cryptography;
using System.Text.Json.Nodes;
using LxAnnotate.Shared.Envelope;
using LxAnnotate.TestSupport;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace LxAnnotate.Shared.Tests.Envelope;

public sealed class EnvelopeVerificationTests
{
    private static readonly X25519PrivateKeyParameters Recipient = new(new SecureRandom());

    [Fact]
    public async Task DecryptToFileAsync_TamperedCiphertext_AuthenticationFailedAndNoFileLeft()
    {
        var (envelope, ciphertext) = await EncryptAsync(RandomNumberGenerator.GetBytes(100_000));
        ciphertext[5_000] ^= 1;
        using var directory = new TempDirectory();
        var target = directory.Combine("plain");

        var error = await Assert.ThrowsAsync<EnvelopeException>(() => DecryptAsync(envelope, ciphertext, target));

        Assert.Equal("authentication_failed", error.Code);
        Assert.Equal("payload_decrypt", error.Phase);
        Assert.False(File.Exists(target));
    }

    [Fact]
    public async Task DecryptToFileAsync_TruncatedCiphertext_SizeMismatch()
    {
        var (envelope, ciphertext) = await EncryptAsync(RandomNumberGenerator.GetBytes(10_000));
        using var directory = new TempDirectory();

        var error = await Assert.ThrowsAsync<EnvelopeException>(() => DecryptAsync(envelope, ciphertext[..9_999], directory.Combine("plain")));

        Assert.Equal("size_mismatch", error.Code);
    }

    [Fact]
    public async Task DecryptToFileAsync_Valid_WritesOwnerOnlyPlaintext()
    {
        var content = RandomNumberGenerator.GetBytes(3 * EnvelopeCrypto.BufferSize + 7);
        var (envelope, ciphertext) = await EncryptAsync(content);
        using var directory = new TempDirectory();
        var target = directory.Combine("plain");

        var result = await DecryptAsync(envelope, ciphertext, target);

        Assert.Equal(content, await File.ReadAllBytesAsync(target));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(target));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(ciphertext)), result.CiphertextSha256);
        Assert.Equal(content.Length, ciphertext.Length);
    }

    [Fact]
    public async Task UnwrapDataEncryptionKey_AlteredMetadata_AuthenticationFailed()
    {
        var (envelope, _) = await EncryptAsync(RandomNumberGenerator.GetBytes(64));
        var altered = envelope with { SourceCenterKey = "other-center" };

        var error = Assert.Throws<EnvelopeException>(() => EnvelopeCrypto.UnwrapDataEncryptionKey(altered, new RecipientKeyRing([Recipient])));

        Assert.Equal("authentication_failed", error.Code);
        Assert.Equal("key_unwrap", error.Phase);
    }

    [Fact]
    public async Task UnwrapDataEncryptionKey_OtherRecipient_RecipientKeyUnavailable()
    {
        var (envelope, _) = await EncryptAsync(RandomNumberGenerator.GetBytes(64));

        var error = Assert.Throws<EnvelopeException>(() => EnvelopeCrypto.UnwrapDataEncryptionKey(envelope, new RecipientKeyRing([new X25519PrivateKeyParameters(new SecureRandom())])));

        Assert.Equal("recipient_key_unavailable", error.Code);
    }

    [Theory]
    [InlineData("extra_field", "x", "envelope_unknown_field")]
    [InlineData("wrap_salt", "AAECAwQFBgcICQoLDA0ODw==", "envelope_invalid_field")]
    [InlineData("wrap_salt", "AAECAwQFBgcICQoLDA0ODx", "envelope_invalid_field")]
    [InlineData("plaintext_size", "12", "envelope_invalid_field")]
    [InlineData("profile", "x25519-other", "envelope_unsupported_profile")]
    public async Task Parse_NonConformingField_RefusedNamingIt(string field, string value, string code)
    {
        var (envelope, _) = await EncryptAsync(RandomNumberGenerator.GetBytes(64));
        var json = JsonNode.Parse(envelope.ToJson())!.AsObject();
        json[field] = value;

        var error = Assert.Throws<EnvelopeException>(() => MediaEnvelope.Parse(json.ToJsonString()));

        Assert.Equal(code, error.Code);
    }

    [Fact]
    public async Task Parse_MissingField_Refused()
    {
        var (envelope, _) = await EncryptAsync(RandomNumberGenerator.GetBytes(64));
        var json = JsonNode.Parse(envelope.ToJson())!.AsObject();
        json.Remove("payload_tag");

        var error = Assert.Throws<EnvelopeException>(() => MediaEnvelope.Parse(json.ToJsonString()));

        Assert.Equal("envelope_missing_field", error.Code);
        Assert.Equal("payload_tag", error.Field);
    }

    private static async Task<(MediaEnvelope Envelope, byte[] Ciphertext)> EncryptAsync(byte[] content)
    {
        using var output = new MemoryStream();
        var identity = new EnvelopeIdentity("n__report__" + new string('a', 64) + "__processed_v1", "n", "c", "hub", "report", new string('a', 64), "metadata_and_processed_media", "processed");
        var envelope = await EnvelopeCrypto.EncryptAsync(() => new MemoryStream(content), output, Recipient.GeneratePublicKey(), identity, null, Timeout());
        return (envelope, output.ToArray());
    }

    private static Task<DecryptedMedia> DecryptAsync(MediaEnvelope envelope, byte[] ciphertext, string target)
    {
        var dek = EnvelopeCrypto.UnwrapDataEncryptionKey(envelope, new RecipientKeyRing([Recipient]));
        return EnvelopeCrypto.DecryptToFileAsync(envelope, dek, new MemoryStream(ciphertext), target, Timeout());
    }

    private static CancellationToken Timeout() => new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;
}
