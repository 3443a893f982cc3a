using System.Security.Cryptography;
using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.PythonEraTransfers;
using LxAnnotate.Shared.Envelope;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace LxAnnotate.Hub.Tests.PythonEraTransfers;

/// <summary>Transfer jobs, settings and sealed envelopes for the media tests of the Python-era REST transfer.</summary>
internal static class HubTransferMediaSamples
{
    public const string ResourceHash = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    public static readonly X25519PrivateKeyParameters Recipient = new(new SecureRandom());

    public static HubTransferOptions Settings(long maxUploadBytes = 1024 * 1024, bool allowPlaintext = true) => new()
    {
        Enabled = true,
        AllowPlaintextMedia = allowPlaintext,
        MaxUploadBytes = maxUploadBytes,
        HubNodeKey = "hub-a",
        RecipientKeys = new RecipientKeyRing([Recipient]),
    };

    public static HubTransferJob Job(string processedMediaHash, string generation = "3.0", string? transferKey = null, string sourceCenterKey = "center-a") => new()
    {
        Id = Guid.NewGuid(),
        TransferKey = transferKey ?? $"node-a__video__{ResourceHash}__processed_v1",
        SourceNodeKey = "node-a",
        TargetNodeKey = "hub-a",
        SourceCenterKey = sourceCenterKey,
        ResourceKind = "video",
        ResourceHash = ResourceHash,
        TransferMode = "metadata_and_processed_media",
        PayloadSchemaVersion = generation,
        ProcessedMediaHash = processedMediaHash,
        CanonicalPayload = "{}",
        ResourceRows = "{}",
        TransferStatus = HubTransferStatus.AwaitingMedia,
    };

    /// <summary>An envelope sealed for <see cref="Recipient"/> with the identity of <see cref="Job"/>.</summary>
    public static async Task<(MediaEnvelope Envelope, byte[] Ciphertext)> SealAsync(byte[] content, string mediaRole = "processed")
    {
        using var output = new MemoryStream();
        var identity = new EnvelopeIdentity(
            $"node-a__video__{ResourceHash}__processed_v1", "node-a", "center-a", "hub-a", "video", ResourceHash, "metadata_and_processed_media", mediaRole);
        var envelope = await EnvelopeCrypto.EncryptAsync(() => new MemoryStream(content), output, Recipient.GeneratePublicKey(), identity, null, Timeout());
        return (envelope, output.ToArray());
    }

    /// <summary>Everything a refusal tells the sender: status, code, phase, message and fields.</summary>
    public static void AssertRefusal(HubTransferRefusal refusal, int statusCode, string code, string phase, string message, params string[] fields)
    {
        Assert.Equal(statusCode, refusal.StatusCode);
        Assert.Equal(code, refusal.Code);
        Assert.Equal(phase, refusal.Phase);
        Assert.Equal(message, refusal.Message);
        Assert.Equal(fields, refusal.Fields);
    }

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static CancellationToken Timeout() => new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;
}
