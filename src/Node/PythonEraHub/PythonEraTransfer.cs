using System.Text.Json.Nodes;
using LxAnnotate.Node.Outbox;
using LxAnnotate.Shared.Envelope;

namespace LxAnnotate.Node.PythonEraHub;

/// <summary>
/// An outbox item as the Python-era node describes processed media to its hub. Our node's artifact is the
/// processed (anonymized) file itself, so <c>resource_hash</c> and the processed media hash are both its SHA-256,
/// and everything in the payload follows from the content and the configuration: a retry, after a crash or from
/// a second push of the same file, creates the same <c>transfer_key</c> with the same payload (the hub's 200).
/// </summary>
internal sealed record PythonEraTransfer(EnvelopeIdentity Identity, JsonObject Payload)
{
    public const string TransferMode = "metadata_and_processed_media";

    public const string MediaRole = "processed";

    public string TransferKey => Identity.TransferKey;

    /// <summary><c>video</c> or <c>report</c>, or null for content the Python-era hub does not take.</summary>
    public static string? ResourceKind(string contentType) =>
        contentType.StartsWith("video/", StringComparison.OrdinalIgnoreCase) ? "video"
        : string.Equals(contentType, "application/pdf", StringComparison.OrdinalIgnoreCase) ? "report"
        : null;

    public static PythonEraTransfer For(OutboxItem item, string kind, string centerKey, PythonEraHubSettings settings, IReadOnlyDictionary<string, string> hints)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(hints);
        var hash = item.Sha256;
        var key = $"{settings.NodeKey}__{kind}__{hash}__processed_v1";
        var identity = new EnvelopeIdentity(key, settings.NodeKey, centerKey, settings.TargetNodeKey, kind, hash, TransferMode, MediaRole);
        var payload = new JsonObject
        {
            ["transfer_key"] = key,
            ["source_node_key"] = settings.NodeKey,
            ["source_center_key"] = centerKey,
            ["target_node_key"] = settings.TargetNodeKey,
            ["resource_kind"] = kind,
            ["resource_hash"] = hash,
            ["transfer_mode"] = TransferMode,
            // The original sender's values (endoreg-db services/hub/transfer_payloads.py).
            ["processing_policy"] = "preserve_processing_state",
            ["processing_intent"] = "sender_requests_state_preservation",
            ["cleanup_policy"] = "retain_all",
            ["payload_schema_version"] = settings.PayloadSchemaVersion,
            ["resource_rows"] = ResourceRows(kind, hash, hints),
            ["processing_snapshot"] = new JsonObject { ["sender_processing_success"] = true },

            // No local ids or file names: the payload must be the same for every send of this content.
            ["provenance"] = new JsonObject
            {
                ["source_node_key"] = settings.NodeKey,
                ["target_node_key"] = settings.TargetNodeKey,
                ["sender"] = "lxa-node",
                ["source_system"] = item.SourceSystem,
            },
        };
        return new PythonEraTransfer(identity, payload);
    }

    /// <summary>The rows the hub validates: the file row with its hash, the processed hash, the anonymization flag, hashed metadata only.</summary>
    private static JsonObject ResourceRows(string kind, string hash, IReadOnlyDictionary<string, string> hints)
    {
        var rows = kind == "video"
            ? new JsonObject
            {
                ["video_file"] = new JsonObject { ["video_hash"] = hash, ["processed_video_hash"] = hash },
                ["video_state"] = new JsonObject { ["anonymized"] = true, ["anonymization_validated"] = true },
                ["processing_history"] = new JsonObject { ["success"] = true },
            }
            : new JsonObject
            {
                ["raw_pdf_file"] = new JsonObject { ["pdf_hash"] = hash, ["anonymized"] = true },
                ["raw_pdf_state"] = new JsonObject { ["anonymized"] = true, ["anonymization_validated"] = true, ["processed_file_sha256"] = hash },
                ["processing_history"] = new JsonObject { ["success"] = true },
            };

        // Only hashes leave the site: the sidecar's patient and examination hashes when it has valid ones.
        var meta = new JsonObject();
        foreach (var name in new[] { "patient_hash", "examination_hash" })
        {
            if (hints.TryGetValue("sidecar." + name, out var value) && IsSha256(value))
            {
                meta[name] = value;
            }
        }

        if (meta.Count > 0)
        {
            rows["sensitive_meta"] = meta;
        }

        return rows;
    }

    private static bool IsSha256(string value) => value.Length == 64 && value.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');
}
