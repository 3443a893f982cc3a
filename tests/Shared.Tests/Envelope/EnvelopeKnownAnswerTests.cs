using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LxAnnotate.Shared.Envelope;
using Org.BouncyCastle.Crypto.Parameters;

namespace LxAnnotate.Shared.Tests.Envelope;

/// <summary>
/// The known-answer vector in <c>envelope_kat.json</c> was computed by the independent Python implementation
/// (<c>tests/EndToEnd.Tests/python/make_envelope_kat.py</c>, <c>cryptography</c>) from fixed inputs.
/// </summary>
public sealed class EnvelopeKnownAnswerTests
{
    private static readonly JsonElement Vector = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Envelope", "envelope_kat.json"))).RootElement;

    private static JsonElement Inputs => Vector.GetProperty("inputs");

    private static JsonElement Expected => Vector.GetProperty("expected");

    [Fact]
    public async Task EncryptAsync_FixedInputs_GivesPythonsEnvelopeAndCiphertext()
    {
        var plaintext = Convert.FromHexString(Inputs.GetProperty("plaintext_hex").GetString()!);
        using var ciphertext = new MemoryStream();

        var envelope = await EnvelopeCrypto.EncryptAsync(
            () => new MemoryStream(plaintext), ciphertext, Scalar("recipient_label").GeneratePublicKey(), Identity(), Material(), Timeout());

        Assert.Equal(Expected.GetProperty("envelope_json").GetString(), envelope.ToJson());
        Assert.Equal(Expected.GetProperty("aad_utf8").GetString(), Encoding.UTF8.GetString(envelope.AssociatedData()));
        Assert.Equal(Expected.GetProperty("fingerprint_sha256").GetString(), envelope.FingerprintSha256());
        Assert.Equal(Expected.GetProperty("ciphertext_hex").GetString(), Convert.ToHexStringLower(ciphertext.ToArray()));
    }

    [Fact]
    public async Task DecryptAsync_PythonVector_GivesThePlaintext()
    {
        var envelope = MediaEnvelope.Parse(Expected.GetProperty("envelope_json").GetString()!);
        var keys = new RecipientKeyRing([Scalar("recipient_label")]);
        var dek = EnvelopeCrypto.UnwrapDataEncryptionKey(envelope, keys);
        using var plaintext = new MemoryStream();

        var result = await EnvelopeCrypto.DecryptAsync(
            envelope, dek, new MemoryStream(Convert.FromHexString(Expected.GetProperty("ciphertext_hex").GetString()!)), plaintext, Timeout());

        Assert.Equal(Inputs.GetProperty("plaintext_hex").GetString(), Convert.ToHexStringLower(plaintext.ToArray()));
        Assert.Equal(envelope.PlaintextSha256, result.PlaintextSha256);
        Assert.Equal(Convert.FromHexString(Inputs.GetProperty("dek_hex").GetString()!), dek);
    }

    [Fact]
    public void Parse_PythonVector_RoundTripsToTheSameJson()
    {
        var json = Expected.GetProperty("envelope_json").GetString()!;

        Assert.Equal(json, MediaEnvelope.Parse(json).ToJson());
    }

    [Fact]
    public void PythonJson_NonAsciiAndControlCharacters_EscapedAsPythonDoes()
    {
        var text = PythonJson.Serialize([new KeyValuePair<string, object>("b", "é\u007f\n\"\\😀"), new KeyValuePair<string, object>("a", 5L)]);

        Assert.Equal("{\"a\":5,\"b\":\"\\u00e9\\u007f\\n\\\"\\\\\\ud83d\\ude00\"}", text);
    }

    internal static X25519PrivateKeyParameters Scalar(string labelField) =>
        new(SHA256.HashData(Encoding.ASCII.GetBytes(Inputs.GetProperty(labelField).GetString()!)), 0);

    internal static EnvelopeIdentity Identity()
    {
        var identity = Inputs.GetProperty("identity");
        string Field(string name) => identity.GetProperty(name).GetString()!;
        return new EnvelopeIdentity(
            Field("transfer_key"), Field("source_node_key"), Field("source_center_key"), Field("target_node_key"),
            Field("resource_kind"), Field("resource_hash"), Field("transfer_mode"), Field("media_role"));
    }

    private static EnvelopeMaterial Material() => new(
        Scalar("ephemeral_label"),
        Convert.FromHexString(Inputs.GetProperty("wrap_salt_hex").GetString()!),
        Convert.FromHexString(Inputs.GetProperty("wrap_nonce_hex").GetString()!),
        Convert.FromHexString(Inputs.GetProperty("dek_hex").GetString()!),
        Convert.FromHexString(Inputs.GetProperty("payload_nonce_hex").GetString()!));

    private static CancellationToken Timeout() => new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;
}
