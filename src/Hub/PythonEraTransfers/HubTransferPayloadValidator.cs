using System.Text.Json;
using System.Text.RegularExpressions;
using LxAnnotate.Shared.Configuration;
using LxAnnotate.Shared.Envelope;

namespace LxAnnotate.Hub.PythonEraTransfers;

/// <summary>
/// The rules of a hub transfer create payload. Every problem is collected per field (as Django REST
/// framework reports them); the first one also gives the <c>rejection_code</c>.
/// </summary>
internal static partial class HubTransferPayloadValidator
{
    public const string SupportedTransferMode = "metadata_and_processed_media";

    public const string PlaintextGeneration = "2.0";

    public const string EnvelopeGeneration = "3.0";

    private static readonly string[] SensitiveMetaKeys = ["patient_hash", "examination_hash"];

    public static (HubTransferPayload? Payload, HubTransferValidationErrors Errors) Validate(JsonElement body, string hubNodeKey)
    {
        var errors = new HubTransferValidationErrors();
        if (body.ValueKind != JsonValueKind.Object)
        {
            errors.Add("non_field_errors", "invalid_payload", "The request body must be a JSON object.");
            return (null, errors);
        }

        string? Text(string field, bool required, int maxLength)
        {
            if (!body.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                if (required)
                {
                    errors.Add(field, "missing_field", "This field is required.");
                }

                return null;
            }

            if (value.ValueKind != JsonValueKind.String || value.GetString() is not { Length: > 0 } text)
            {
                errors.Add(field, "invalid_field", "This field must be a non-empty string.");
                return null;
            }

            if (text.Length > maxLength || text.Any(char.IsControl))
            {
                errors.Add(field, "invalid_field", $"This field must be at most {maxLength} printable characters.");
                return null;
            }

            return text;
        }

        JsonElement? Object(string field, bool required)
        {
            if (!body.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                if (required)
                {
                    errors.Add(field, "missing_field", "This field is required.");
                }

                return null;
            }

            if (value.ValueKind != JsonValueKind.Object)
            {
                errors.Add(field, "invalid_field", "This field must be a JSON object.");
                return null;
            }

            return value;
        }

        var transferKey = Text("transfer_key", true, 255);
        var sourceNode = Text("source_node_key", true, 64);
        var targetNode = Text("target_node_key", false, 64) ?? hubNodeKey;
        var sourceCenter = Text("source_center_key", true, 64);
        var kind = Text("resource_kind", true, 16);
        var resourceHash = Text("resource_hash", true, 64);
        var mode = Text("transfer_mode", true, 64);
        var policy = Text("processing_policy", false, 64);
        var intent = Text("processing_intent", false, 64);
        var cleanup = Text("cleanup_policy", false, 64);
        var version = Text("payload_schema_version", true, 8);
        var rows = Object("resource_rows", true);
        var snapshot = Object("processing_snapshot", false);
        var provenance = Object("provenance", false);

        if (sourceNode is not null && !NodeKeys.IsValid(sourceNode))
        {
            errors.Add("source_node_key", "invalid_field", "Not a valid node key.");
        }

        if (!string.Equals(targetNode, hubNodeKey, StringComparison.Ordinal))
        {
            errors.Add("target_node_key", "target_node_mismatch", $"This hub is '{hubNodeKey}'.");
        }

        if (kind is not null and not ("video" or "report"))
        {
            errors.Add("resource_kind", "invalid_resource_kind", "Must be 'video' or 'report'.");
        }

        if (resourceHash is not null && !Sha256Hex().IsMatch(resourceHash))
        {
            errors.Add("resource_hash", "invalid_field", "Must be 64 lower-case hexadecimal characters.");
        }

        if (mode is not null and not SupportedTransferMode)
        {
            errors.Add("transfer_mode", "transfer_mode_not_supported", $"Only '{SupportedTransferMode}' is accepted; raw media modes are not.");
        }

        if (version is not null and not (PlaintextGeneration or EnvelopeGeneration))
        {
            errors.Add("payload_schema_version", "unsupported_payload_schema_version", $"Must be '{PlaintextGeneration}' or '{EnvelopeGeneration}'.");
        }

        if (transferKey is not null && sourceNode is not null && kind is not null && resourceHash is not null
            && !string.Equals(transferKey, $"{sourceNode}__{kind}__{resourceHash}__processed_v1", StringComparison.Ordinal))
        {
            errors.Add("transfer_key", "transfer_key_mismatch", "Must equal '{source_node_key}__{resource_kind}__{resource_hash}__processed_v1'.");
        }

        string? processedHash = null;
        if (rows is { } resourceRows && kind is "video" or "report")
        {
            processedHash = ValidateRows(resourceRows, kind, resourceHash, errors);
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var canonicalFields = new List<KeyValuePair<string, object>>
        {
            new("transfer_key", transferKey!),
            new("source_node_key", sourceNode!),
            new("target_node_key", targetNode),
            new("source_center_key", sourceCenter!),
            new("resource_kind", kind!),
            new("resource_hash", resourceHash!),
            new("transfer_mode", mode!),
            new("processing_policy", policy!),
            new("processing_intent", intent!),
            new("cleanup_policy", cleanup!),
            new("payload_schema_version", version!),
            new("resource_rows", rows!.Value),
            new("processing_snapshot", snapshot is { } s ? s : null!),
            new("provenance", provenance is { } p ? p : null!),
        };

        return (new HubTransferPayload
        {
            TransferKey = transferKey!,
            SourceNodeKey = sourceNode!,
            TargetNodeKey = targetNode,
            SourceCenterKey = sourceCenter!,
            ResourceKind = kind!,
            ResourceHash = resourceHash!,
            TransferMode = mode!,
            ProcessingPolicy = policy,
            ProcessingIntent = intent,
            CleanupPolicy = cleanup,
            PayloadSchemaVersion = version!,
            ProcessedMediaHash = processedHash!,
            ResourceRows = PythonJson.Serialize(rows!.Value),
            ProcessingSnapshot = snapshot is { } snap ? PythonJson.Serialize(snap) : null,
            Provenance = provenance is { } prov ? PythonJson.Serialize(prov) : null,
            Canonical = PythonJson.Serialize(canonicalFields),
        }, errors);
    }

    /// <summary>The resource rows: hashes that agree, a processed hash, validated anonymization, hashed sensitive metadata only, no report text.</summary>
    private static string? ValidateRows(JsonElement rows, string kind, string? resourceHash, HubTransferValidationErrors errors)
    {
        const string Field = "resource_rows";
        var (fileRow, hashKey, stateRow, processedOwner, processedKey) = kind == "video"
            ? ("video_file", "video_hash", "video_state", "video_file", "processed_video_hash")
            : ("raw_pdf_file", "pdf_hash", "raw_pdf_state", "raw_pdf_state", "processed_file_sha256");

        JsonElement? Row(string name) => rows.TryGetProperty(name, out var row) && row.ValueKind == JsonValueKind.Object ? row : null;
        string? RowText(JsonElement? row, string key) =>
            row is { } r && r.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

        var file = Row(fileRow);
        if (file is null)
        {
            errors.Add(Field, "missing_resource_row", $"{fileRow} is required for resource_kind '{kind}'.");
            return null;
        }

        if (!string.Equals(RowText(file, hashKey), resourceHash, StringComparison.Ordinal))
        {
            errors.Add(Field, "resource_hash_mismatch", $"{fileRow}.{hashKey} must equal resource_hash.");
        }

        var processed = RowText(Row(processedOwner), processedKey);
        if (processed is null || !Sha256Hex().IsMatch(processed))
        {
            errors.Add(Field, "processed_hash_missing", $"{processedOwner}.{processedKey} must be the 64-hex SHA-256 of the processed media.");
            processed = null;
        }

        var state = Row(stateRow);
        if (state is null || !state.Value.TryGetProperty("anonymized", out var anonymized) || anonymized.ValueKind != JsonValueKind.True)
        {
            errors.Add(Field, "anonymization_not_validated", $"{stateRow}.anonymized must be true: only validated anonymized media is transferred.");
        }

        if (kind == "report" && file.Value.TryGetProperty("text", out _))
        {
            errors.Add(Field, "raw_pdf_text_forbidden", "raw_pdf_file.text must not be sent.");
        }

        if (rows.TryGetProperty("sensitive_meta", out var meta) && meta.ValueKind != JsonValueKind.Null)
        {
            if (meta.ValueKind != JsonValueKind.Object)
            {
                errors.Add(Field, "sensitive_meta_not_allowed", "sensitive_meta must be an object with patient_hash and examination_hash only.");
            }
            else
            {
                foreach (var property in meta.EnumerateObject())
                {
                    if (!SensitiveMetaKeys.Contains(property.Name))
                    {
                        errors.Add(Field, "sensitive_meta_not_allowed", "sensitive_meta may hold only patient_hash and examination_hash.");
                        break;
                    }

                    if (property.Value.ValueKind != JsonValueKind.String || !Sha256Hex().IsMatch(property.Value.GetString()!))
                    {
                        errors.Add(Field, "sensitive_meta_not_allowed", $"sensitive_meta.{property.Name} must be 64 lower-case hexadecimal characters.");
                    }
                }
            }
        }

        return processed;
    }

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Sha256Hex();
}
