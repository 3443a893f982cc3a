using System.Text.Json;

namespace LxAnnotate.Hub.PythonEraTransfers;

/// <summary>
/// The <c>resource_rows</c> of a create payload: hashes that agree, a processed hash, validated anonymization,
/// hashed sensitive metadata only, no report text. Every problem is reported under <c>resource_rows</c>.
/// </summary>
internal static class HubTransferResourceRowsValidator
{
    private const string Field = "resource_rows";

    private static readonly string[] SensitiveMetaKeys = ["patient_hash", "examination_hash"];

    /// <summary>The processed media hash the rows declare, or null when they declare none that is valid.</summary>
    public static string? Validate(JsonElement rows, string kind, string? resourceHash, HubTransferValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var (fileRow, hashKey, stateRow, processedOwner, processedKey) = kind == "video"
            ? ("video_file", "video_hash", "video_state", "video_file", "processed_video_hash")
            : ("raw_pdf_file", "pdf_hash", "raw_pdf_state", "raw_pdf_state", "processed_file_sha256");

        var file = Row(rows, fileRow);
        if (file is null)
        {
            errors.Add(Field, "missing_resource_row", $"{fileRow} is required for resource_kind '{kind}'.");
            return null;
        }

        if (!string.Equals(RowText(file, hashKey), resourceHash, StringComparison.Ordinal))
        {
            errors.Add(Field, "resource_hash_mismatch", $"{fileRow}.{hashKey} must equal resource_hash.");
        }

        var processed = RowText(Row(rows, processedOwner), processedKey);
        if (processed is null || !HubTransferHashes.IsSha256(processed))
        {
            errors.Add(Field, "processed_hash_missing", $"{processedOwner}.{processedKey} must be the 64-hex SHA-256 of the processed media.");
            processed = null;
        }

        var state = Row(rows, stateRow);
        if (state is null || !state.Value.TryGetProperty("anonymized", out var anonymized) || anonymized.ValueKind != JsonValueKind.True)
        {
            errors.Add(Field, "anonymization_not_validated", $"{stateRow}.anonymized must be true: only validated anonymized media is transferred.");
        }

        if (kind == "report" && file.Value.TryGetProperty("text", out _))
        {
            errors.Add(Field, "raw_pdf_text_forbidden", "raw_pdf_file.text must not be sent.");
        }

        CheckSensitiveMeta(rows, errors);
        return processed;
    }

    private static void CheckSensitiveMeta(JsonElement rows, HubTransferValidationErrors errors)
    {
        if (!rows.TryGetProperty("sensitive_meta", out var meta) || meta.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        if (meta.ValueKind != JsonValueKind.Object)
        {
            errors.Add(Field, "sensitive_meta_not_allowed", "sensitive_meta must be an object with patient_hash and examination_hash only.");
            return;
        }

        foreach (var property in meta.EnumerateObject())
        {
            if (!SensitiveMetaKeys.Contains(property.Name))
            {
                errors.Add(Field, "sensitive_meta_not_allowed", "sensitive_meta may hold only patient_hash and examination_hash.");
                return;
            }

            if (property.Value.ValueKind != JsonValueKind.String || !HubTransferHashes.IsSha256(property.Value.GetString()!))
            {
                errors.Add(Field, "sensitive_meta_not_allowed", $"sensitive_meta.{property.Name} must be 64 lower-case hexadecimal characters.");
            }
        }
    }

    private static JsonElement? Row(JsonElement rows, string name) =>
        rows.TryGetProperty(name, out var row) && row.ValueKind == JsonValueKind.Object ? row : null;

    private static string? RowText(JsonElement? row, string key) =>
        row is { } r && r.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
