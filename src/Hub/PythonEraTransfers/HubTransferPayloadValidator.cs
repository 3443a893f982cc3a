using System.Text.Json;
using LxAnnotate.Shared.Configuration;

namespace LxAnnotate.Hub.PythonEraTransfers;

/// <summary>
/// The rules of a hub transfer create payload. Every problem is collected per field (as Django REST
/// framework reports them); the first one also gives the <c>rejection_code</c>.
/// </summary>
internal static class HubTransferPayloadValidator
{
    public const string SupportedTransferMode = "metadata_and_processed_media";

    public const string PlaintextGeneration = "2.0";

    public const string EnvelopeGeneration = "3.0";

    public static (HubTransferPayload? Payload, HubTransferValidationErrors Errors) Validate(JsonElement body, string hubNodeKey)
    {
        var errors = new HubTransferValidationErrors();
        if (body.ValueKind != JsonValueKind.Object)
        {
            errors.Add("non_field_errors", "invalid_payload", "The request body must be a JSON object.");
            return (null, errors);
        }

        var fields = HubTransferPayloadFields.Read(body, hubNodeKey, errors);
        CheckValues(fields, hubNodeKey, errors);
        CheckTransferKey(fields, errors);
        string? processedHash = null;
        if (fields.ResourceRows is { } rows && fields.ResourceKind is "video" or "report")
        {
            processedHash = HubTransferResourceRowsValidator.Validate(rows, fields.ResourceKind, fields.ResourceHash, errors);
        }

        return errors.Count > 0 ? (null, errors) : (fields.ToPayload(processedHash!), errors);
    }

    /// <summary>The values a field may take, for the fields that were read.</summary>
    private static void CheckValues(HubTransferPayloadFields fields, string hubNodeKey, HubTransferValidationErrors errors)
    {
        if (fields.SourceNodeKey is not null && !NodeKeys.IsValid(fields.SourceNodeKey))
        {
            errors.Add("source_node_key", "invalid_field", "Not a valid node key.");
        }

        if (!string.Equals(fields.TargetNodeKey, hubNodeKey, StringComparison.Ordinal))
        {
            errors.Add("target_node_key", "target_node_mismatch", $"This hub is '{hubNodeKey}'.");
        }

        if (fields.ResourceKind is not null and not ("video" or "report"))
        {
            errors.Add("resource_kind", "invalid_resource_kind", "Must be 'video' or 'report'.");
        }

        if (fields.ResourceHash is not null && !HubTransferHashes.IsSha256(fields.ResourceHash))
        {
            errors.Add("resource_hash", "invalid_field", "Must be 64 lower-case hexadecimal characters.");
        }

        if (fields.TransferMode is not null and not SupportedTransferMode)
        {
            errors.Add("transfer_mode", "transfer_mode_not_supported", $"Only '{SupportedTransferMode}' is accepted; raw media modes are not.");
        }

        if (fields.PayloadSchemaVersion is not null and not (PlaintextGeneration or EnvelopeGeneration))
        {
            errors.Add("payload_schema_version", "unsupported_payload_schema_version", $"Must be '{PlaintextGeneration}' or '{EnvelopeGeneration}'.");
        }
    }

    /// <summary>The key a node derives from the resource it transfers.</summary>
    private static void CheckTransferKey(HubTransferPayloadFields fields, HubTransferValidationErrors errors)
    {
        if (fields is { TransferKey: { } key, SourceNodeKey: { } node, ResourceKind: { } kind, ResourceHash: { } hash }
            && !string.Equals(key, $"{node}__{kind}__{hash}__processed_v1", StringComparison.Ordinal))
        {
            errors.Add("transfer_key", "transfer_key_mismatch", "Must equal '{source_node_key}__{resource_kind}__{resource_hash}__processed_v1'.");
        }
    }
}
