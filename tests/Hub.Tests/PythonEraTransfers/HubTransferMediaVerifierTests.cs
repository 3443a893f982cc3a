using System.Security.Cryptography;
using System.Text.Json.Nodes;
using LxAnnotate.Hub.PythonEraTransfers;
using static LxAnnotate.Hub.Tests.PythonEraTransfers.HubTransferMediaSamples;

namespace LxAnnotate.Hub.Tests.PythonEraTransfers;

public sealed class HubTransferMediaVerifierTests
{
    [Fact]
    public async Task ParseEnvelope_EnvelopeOfTheTransfer_Parsed()
    {
        var content = RandomNumberGenerator.GetBytes(100);
        var (envelope, _) = await SealAsync(content);

        var parsed = HubTransferMediaVerifier.ParseEnvelope(envelope.ToJson(), Job(Sha256(content)));

        Assert.Equal(envelope.FingerprintSha256(), parsed.FingerprintSha256());
    }

    [Theory]
    [InlineData("transfer_key")]
    [InlineData("source_center_key")]
    [InlineData("processed_media_hash")]
    [InlineData("media_role")]
    public async Task ParseEnvelope_FieldOfAnotherTransfer_IdentityMismatchNamingTheField(string field)
    {
        var content = RandomNumberGenerator.GetBytes(100);
        var (envelope, _) = await SealAsync(content, mediaRole: field == "media_role" ? "raw" : "processed");
        var job = Job(
            field == "processed_media_hash" ? new string('e', 64) : Sha256(content),
            transferKey: field == "transfer_key" ? "other" : null,
            sourceCenterKey: field == "source_center_key" ? "center-b" : "center-a");

        var refusal = Assert.Throws<HubTransferRefusal>(() => HubTransferMediaVerifier.ParseEnvelope(envelope.ToJson(), job));

        AssertRefusal(refusal, 400, "envelope_identity_mismatch", "envelope_metadata", $"Envelope field '{field}' does not match the transfer.", field);
    }

    [Fact]
    public async Task ParseEnvelope_MalformedEnvelope_RefusedWithTheEnvelopeCode()
    {
        var content = RandomNumberGenerator.GetBytes(100);
        var (envelope, _) = await SealAsync(content);
        var json = JsonNode.Parse(envelope.ToJson())!.AsObject();
        json.Remove("plaintext_sha256");

        var refusal = Assert.Throws<HubTransferRefusal>(() => HubTransferMediaVerifier.ParseEnvelope(json.ToJsonString(), Job(Sha256(content))));

        Assert.Equal(400, refusal.StatusCode);
        Assert.Equal("envelope_missing_field", refusal.Code);
        Assert.Equal("Envelope field 'plaintext_sha256' is missing.", refusal.Message);
        Assert.Equal(["plaintext_sha256"], refusal.Fields);
    }

    [Fact]
    public void CheckGeneration_EnvelopeGenerationWithoutEnvelope_EnvelopeRequired()
    {
        var refusal = Assert.Throws<HubTransferRefusal>(() => HubTransferMediaVerifier.CheckGeneration(Job(new string('a', 64)), null, Settings()));

        AssertRefusal(refusal, 400, "envelope_required", "media_receive", "A payload_schema_version 3.0 transfer needs its media in an envelope.", "envelope");
    }

    [Fact]
    public async Task CheckGeneration_PlaintextGenerationWithEnvelope_EnvelopeNotExpected()
    {
        var (envelope, _) = await SealAsync([1, 2, 3]);

        var refusal = Assert.Throws<HubTransferRefusal>(() => HubTransferMediaVerifier.CheckGeneration(Job(new string('a', 64), "2.0"), envelope, Settings()));

        Assert.Equal(400, refusal.StatusCode);
        Assert.Equal("envelope_not_expected", refusal.Code);
        Assert.Equal(["envelope"], refusal.Fields);
    }

    [Fact]
    public void CheckGeneration_PlaintextWhenTheHubRefusesIt_Forbidden()
    {
        var refusal = Assert.Throws<HubTransferRefusal>(() => HubTransferMediaVerifier.CheckGeneration(Job(new string('a', 64), "2.0"), null, Settings(allowPlaintext: false)));

        Assert.Equal(403, refusal.StatusCode);
        Assert.Equal("Plaintext media is not accepted by this hub (ENDOREG_HUB_TRANSFER_ALLOW_PLAINTEXT_MEDIA is off); send an envelope (payload_schema_version 3.0).", refusal.Message);
        Assert.Equal("plaintext_media_disabled", refusal.Code);
        Assert.Equal(["file"], refusal.Fields);
    }

    [Fact]
    public async Task CheckGeneration_MatchingGenerations_Accepted()
    {
        var (envelope, _) = await SealAsync([1, 2, 3]);

        HubTransferMediaVerifier.CheckGeneration(Job(new string('a', 64)), envelope, Settings());
        HubTransferMediaVerifier.CheckGeneration(Job(new string('a', 64), "2.0"), null, Settings());
    }

    [Fact]
    public async Task Verify_PlaintextSizeOverTheLimit_MediaTooLargeBeforeAnyByte()
    {
        var content = RandomNumberGenerator.GetBytes(2_000);
        var (envelope, _) = await SealAsync(content);

        var refusal = Assert.Throws<HubTransferRefusal>(() => HubTransferMediaVerifier.Verify(envelope.ToJson(), Job(Sha256(content)), Settings(maxUploadBytes: 1_000)));

        AssertRefusal(refusal, 413, "media_too_large", "envelope_metadata", "plaintext_size is larger than the hub's limit of 1000 bytes.", "plaintext_size");
    }

    [Fact]
    public async Task Verify_EnvelopeOfTheTransfer_TheParsedEnvelope()
    {
        var content = RandomNumberGenerator.GetBytes(100);
        var (envelope, _) = await SealAsync(content);

        var verified = HubTransferMediaVerifier.Verify(envelope.ToJson(), Job(Sha256(content)), Settings());

        Assert.Equal(envelope.FingerprintSha256(), verified!.FingerprintSha256());
        Assert.Null(HubTransferMediaVerifier.Verify(null, Job(Sha256(content), "2.0"), Settings()));
    }
}
