using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using LxAnnotate.Shared.Configuration;
using LxAnnotate.Shared.Domain;

namespace LxAnnotate.Node.Sidecars;

/// <summary>
/// The <c>&lt;stem&gt;.json</c> sidecar of a preanonymized export, closed schema (version 1): the watcher's own
/// keys, the keys the SAP IS-H import writes, and the documented preanonymized fields of the original
/// system (patient names, date of birth, hashes, validation fields). Unknown keys are refused. The fields
/// in <see cref="SidecarProvenance.Keys"/> travel to the hub as provenance hints; the rest (text, names,
/// birth date, raw rows) stay with the file on the node.
/// </summary>
/// <param name="CenterKey">Declared center, or null for the node's default center.</param>
/// <param name="SourceSystem">Declared source system, or null for the node's own.</param>
/// <param name="FileSha256">Declared SHA-256 of the file (lower-case hex), verified by the outbox.</param>
/// <param name="ProvenanceHints">Sidecar fields for the hub's provenance, keyed <c>sidecar.&lt;key&gt;</c>.</param>
internal sealed partial record PreanonymizedSidecar(string? CenterKey, string? SourceSystem, string? FileSha256, IReadOnlyDictionary<string, string> ProvenanceHints)
{
    private const int MaxKeyInReason = 64;
    private const int MaxPathLength = 4096;

    private static readonly string[] AllowedKeys =
    [
        // The watcher's own keys.
        "schema_version", "center_key", "source_system", "document_type", "file_sha256", "original_filename", "created_at", "language", "anonymized",

        // Written by the SAP IS-H import.
        "external_id", "external_id_origin", "casenumber", "text", "anonymized_text", "patient_gender", "source_document_type",
        "original_document_id", "original_document_version", "center_name", "examination_date", "examination_time", "raw_columns",

        // Documented preanonymized fields of the original system.
        "patient_first_name", "patient_last_name", "patient_dob", "patient_hash", "examination_hash", "file_path",
        "endoscope_type", "endoscope_sn", "is_verified", "file_type",
    ];

    private static readonly string[] ShortTextKeys =
    [
        "external_id", "external_id_origin", "casenumber", "patient_gender", "source_document_type", "original_document_id",
        "original_document_version", "center_name", "patient_first_name", "patient_last_name", "patient_hash", "examination_hash",
        "endoscope_type", "endoscope_sn", "file_type",
    ];

    /// <summary>
    /// Parses and validates a sidecar. <paramref name="problem"/> names the offending key but never echoes a
    /// value: values such as <c>original_filename</c> may carry patient identifiers.
    /// </summary>
    public static bool TryParse(ReadOnlyMemory<byte> json, out PreanonymizedSidecar? sidecar, out string? problem)
    {
        sidecar = null;
        if (json.Span.StartsWith("\uFEFF"u8))
        {
            json = json[3..];
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException)
        {
            // The parser's message can quote the text around the error; only the fact is reported.
            problem = "sidecar is not valid JSON";
            return false;
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                problem = "sidecar is not a JSON object";
                return false;
            }

            sidecar = FromObject(document.RootElement, out problem);
            return sidecar is not null;
        }
    }

    /// <summary>Checks every key of the sidecar object; null with the first problem found.</summary>
    private static PreanonymizedSidecar? FromObject(JsonElement root, out string? problem)
    {
        string? centerKey = null, sourceSystem = null, sha256 = null;
        var hints = new Dictionary<string, string>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in root.EnumerateObject())
        {
            var key = property.Name;
            if (!AllowedKeys.Contains(key, StringComparer.Ordinal))
            {
                problem = $"unknown key '{Shorten(key)}' in sidecar (allowed: {string.Join(", ", AllowedKeys)})";
                return null;
            }

            if (!seen.Add(key))
            {
                problem = $"key '{Shorten(key)}' appears twice in sidecar";
                return null;
            }

            var value = property.Value;
            if (value.ValueKind == JsonValueKind.Null)
            {
                // Exporters write null for "not known"; that is the same as leaving the key out.
                continue;
            }

            problem = ValueProblem(key, value);
            if (problem is not null)
            {
                return null;
            }

            switch (key)
            {
                case "center_key":
                    centerKey = value.GetString();
                    break;
                case "source_system":
                    sourceSystem = value.GetString();
                    break;
                case "file_sha256":
                    sha256 = value.GetString();
                    break;
            }

            if (SidecarProvenance.Keys.Contains(key, StringComparer.Ordinal) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } hint)
            {
                hints[SidecarProvenance.HintPrefix + key] = key == "file_sha256" ? hint.ToLowerInvariant() : hint;
            }
        }

        problem = null;
        return new PreanonymizedSidecar(centerKey, sourceSystem, sha256?.ToLowerInvariant(), hints);
    }

    /// <summary>Why the (non-null) value of an allowed key is refused, or null.</summary>
    private static string? ValueProblem(string key, JsonElement value) => key switch
    {
        "schema_version" => value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var version) && version == 1
            ? null
            : "schema_version must be the number 1",
        "center_key" => Text(value, key, out var centerKey) ?? (CenterKeys.IsValid(centerKey) ? null : "center_key is not a valid center key ([a-z0-9][a-z0-9_-]{0,63})"),
        "source_system" => Text(value, key, out var sourceSystem) ?? (SourceSystemPattern().IsMatch(sourceSystem!) ? null : "source_system must match [A-Za-z0-9][A-Za-z0-9_.-]{0,127}"),
        "document_type" => Text(value, key, out var documentType) ?? (documentType!.Length <= 64 ? null : "document_type is longer than 64 characters"),
        "file_sha256" => Text(value, key, out var sha256) ?? (Sha256Pattern().IsMatch(sha256!) ? null : "file_sha256 must be 64 hexadecimal characters"),
        "original_filename" => Text(value, key, out _),
        "created_at" => Text(value, key, out var createdAt) ?? (IsIso8601(createdAt!) ? null : "created_at must be an ISO-8601 date or date-time"),
        "language" => Text(value, key, out var language) ?? (language!.Length <= 16 ? null : "language is longer than 16 characters"),
        "anonymized" or "is_verified" => value.ValueKind is JsonValueKind.True or JsonValueKind.False ? null : $"{key} must be true or false",
        "text" or "anonymized_text" => Text(value, key, out _),
        "file_path" => Text(value, key, out var filePath) ?? (filePath!.Length <= MaxPathLength ? null : $"{key} is longer than {MaxPathLength} characters"),
        "examination_date" or "patient_dob" => Text(value, key, out var date) ?? (IsDate(date!) ? null : $"{key} must be a date YYYY-MM-DD"),
        "examination_time" => Text(value, key, out var clock) ?? (TimeOnly.TryParseExact(clock, "HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out _) ? null : "examination_time must be a time HH:MM:SS"),
        "raw_columns" => value.ValueKind == JsonValueKind.Object ? null : "raw_columns must be a JSON object",
        _ when ShortTextKeys.Contains(key, StringComparer.Ordinal) => Text(value, key, out var shortText) ?? ShortTextProblem(key, shortText!),
        _ => throw new InvalidOperationException("key list and checks disagree"),
    };

    private static string? Text(JsonElement value, string key, out string? text)
    {
        text = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        return text is null ? $"{key} must be a string" : null;
    }

    private static string? ShortTextProblem(string key, string text) =>
        text.Length <= SidecarProvenance.MaxValueLength && !text.Any(char.IsControl)
            ? null
            : $"{key} must be at most {SidecarProvenance.MaxValueLength} printable characters";

    private static bool IsDate(string value) =>
        DateTime.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    private static bool IsIso8601(string value) =>
        Iso8601Pattern().IsMatch(value) &&
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _);

    private static string Shorten(string key)
    {
        var shown = key.Length <= MaxKeyInReason ? key : key[..MaxKeyInReason] + "…";
        return string.Concat(shown.Select(c => char.IsControl(c) ? '?' : c));
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex SourceSystemPattern();

    [GeneratedRegex("^[0-9A-Fa-f]{64}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex Sha256Pattern();

    [GeneratedRegex(@"^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,7})?)?(Z|[+-][0-9]{2}:?[0-9]{2})?)?\z", RegexOptions.CultureInvariant)]
    private static partial Regex Iso8601Pattern();
}
