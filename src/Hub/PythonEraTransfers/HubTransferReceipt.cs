using System.Text.Json.Nodes;
using LxAnnotate.Hub.Domain;
using LxAnnotate.Shared.Envelope;

namespace LxAnnotate.Hub.PythonEraTransfers;

/// <summary>The envelope receipt of an applied transfer, as the node stores it: exactly these keys, nothing more.</summary>
internal static class HubTransferReceipt
{
    public static JsonObject For(HubTransferJob job, MediaEnvelope envelope, string fingerprint, string ciphertextSha) => new()
    {
        ["contract_version"] = MediaEnvelope.ReceiptContractVersion,
        ["envelope_contract_version"] = MediaEnvelope.ContractVersion,
        ["profile"] = MediaEnvelope.Profile,
        ["transfer_key"] = envelope.TransferKey,
        ["source_node_key"] = envelope.SourceNodeKey,
        ["source_center_key"] = envelope.SourceCenterKey,
        ["target_node_key"] = envelope.TargetNodeKey,
        ["resource_kind"] = envelope.ResourceKind,
        ["resource_hash"] = envelope.ResourceHash,
        ["processed_media_hash"] = envelope.ProcessedMediaHash,
        ["transfer_mode"] = envelope.TransferMode,
        ["media_role"] = envelope.MediaRole,
        ["plaintext_sha256"] = envelope.PlaintextSha256,
        ["plaintext_size"] = envelope.PlaintextSize,
        ["recipient_key_id"] = envelope.RecipientKeyId,
        ["ciphertext_sha256"] = ciphertextSha,
        ["ciphertext_size"] = envelope.PlaintextSize,
        ["envelope_fingerprint_sha256"] = fingerprint,
        ["receiver_transfer_id"] = job.Id.ToString(),
        ["transfer_status"] = HubTransferStatus.Applied.ToWire(),
        ["processing_decision"] = HubTransferMedia.ProcessingDecision,
        ["verified"] = true,
    };
}
