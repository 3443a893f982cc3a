using System.Security.Cryptography;
using LxAnnotate.Hub.PythonEraTransfers;
using static LxAnnotate.Hub.Tests.PythonEraTransfers.HubTransferMediaSamples;

namespace LxAnnotate.Hub.Tests.PythonEraTransfers;

public sealed class HubTransferReceiptTests
{
    [Fact]
    public async Task For_AppliedEnvelope_ExactlyTheReceiptKeys()
    {
        var content = RandomNumberGenerator.GetBytes(100);
        var (envelope, ciphertext) = await SealAsync(content);
        var job = Job(Sha256(content));

        var receipt = HubTransferReceipt.For(job, envelope, envelope.FingerprintSha256(), Sha256(ciphertext));

        Assert.Equal(
            [
                "contract_version", "envelope_contract_version", "profile", "transfer_key", "source_node_key", "source_center_key",
                "target_node_key", "resource_kind", "resource_hash", "processed_media_hash", "transfer_mode", "media_role",
                "plaintext_sha256", "plaintext_size", "recipient_key_id", "ciphertext_sha256", "ciphertext_size",
                "envelope_fingerprint_sha256", "receiver_transfer_id", "transfer_status", "processing_decision", "verified",
            ],
            receipt.Select(p => p.Key).ToArray());
        Assert.Equal(job.Id.ToString(), receipt["receiver_transfer_id"]!.GetValue<string>());
        Assert.Equal(Sha256(ciphertext), receipt["ciphertext_sha256"]!.GetValue<string>());
        Assert.Equal("applied", receipt["transfer_status"]!.GetValue<string>());
        Assert.Equal("skip_processing_preserved_state", receipt["processing_decision"]!.GetValue<string>());
        Assert.True(receipt["verified"]!.GetValue<bool>());
    }
}
