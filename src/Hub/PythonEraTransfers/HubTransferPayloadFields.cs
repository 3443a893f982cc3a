using System.Text.Json;
using LxAnnotate.Shared.Envelope;

namespace LxAnnotate.Hub.PythonEraTransfers;

/// <summary>
/// The fields of a create payload as read, each null when absent or refused (<c>target_node_key</c> defaults
/// to this hub); <see cref="ToPayload"/> assembles the payload once every rule has passed.
/// </summary>
internal sealed record HubTransferPayloadFields(
    string? TransferKey,
    string? SourceNodeKey,
    string TargetNodeKey,
    string? SourceCenterKey,
    string? ResourceKind,
    string? ResourceHash,
    string? TransferMode,
    string? ProcessingPolicy,
    string? ProcessingIntent,
    string? CleanupPolicy,
    string? PayloadSchemaVersion,
    JsonElement? ResourceRows,
    JsonElement? ProcessingSnapshot,
    JsonElement? Provenance)
{
    /// <summary>Reads in the payload's field order, which is the order the field errors are reported in.</summary>
    public static HubTransferPayloadFields Read(JsonElement body, string hubNodeKey, HubTransferValidationErrors errors)
    {
        var reader = new HubTransferPayloadFieldReader(body, errors);
        return new HubTransferPayloadFields(
            reader.Text("transfer_key", true, 255),
            reader.Text("source_node_key", true, 64),
            reader.Text("target_node_key", false, 64) ?? hubNodeKey,
            reader.Text("source_center_key", true, 64),
            reader.Text("resource_kind", true, 16),
            reader.Text("resource_hash", true, 64),
            reader.Text("transfer_mode", true, 64),
            reader.Text("processing_policy", false, 64),
            reader.Text("processing_intent", false, 64),
            reader.Text("cleanup_policy", false, 64),
            reader.Text("payload_schema_version", true, 8),
            reader.Object("resource_rows", true),
            reader.Object("processing_snapshot", false),
            reader.Object("provenance", false));
    }

    /// <summary>The payload of fields that passed every rule (so every required one is present).</summary>
    public HubTransferPayload ToPayload(string processedMediaHash) => new()
    {
        TransferKey = TransferKey!,
        SourceNodeKey = SourceNodeKey!,
        TargetNodeKey = TargetNodeKey,
        SourceCenterKey = SourceCenterKey!,
        ResourceKind = ResourceKind!,
        ResourceHash = ResourceHash!,
        TransferMode = TransferMode!,
        ProcessingPolicy = ProcessingPolicy,
        ProcessingIntent = ProcessingIntent,
        CleanupPolicy = CleanupPolicy,
        PayloadSchemaVersion = PayloadSchemaVersion!,
        ProcessedMediaHash = processedMediaHash,
        ResourceRows = PythonJson.Serialize(ResourceRows!.Value),
        ProcessingSnapshot = ProcessingSnapshot is { } snapshot ? PythonJson.Serialize(snapshot) : null,
        Provenance = Provenance is { } provenance ? PythonJson.Serialize(provenance) : null,
        Canonical = PythonJson.Serialize(CanonicalFields()),
    };

    /// <summary>Every known field, defaults applied: what a replayed create is compared by.</summary>
    private List<KeyValuePair<string, object>> CanonicalFields() =>
    [
        new("transfer_key", TransferKey!),
        new("source_node_key", SourceNodeKey!),
        new("target_node_key", TargetNodeKey),
        new("source_center_key", SourceCenterKey!),
        new("resource_kind", ResourceKind!),
        new("resource_hash", ResourceHash!),
        new("transfer_mode", TransferMode!),
        new("processing_policy", ProcessingPolicy!),
        new("processing_intent", ProcessingIntent!),
        new("cleanup_policy", CleanupPolicy!),
        new("payload_schema_version", PayloadSchemaVersion!),
        new("resource_rows", ResourceRows!.Value),
        new("processing_snapshot", ProcessingSnapshot is { } snapshot ? snapshot : null!),
        new("provenance", Provenance is { } provenance ? provenance : null!),
    ];
}
