using System.Text.Json.Serialization;
using System.Text.Json;
using LxAnnotate.Shared.Domain;

namespace LxAnnotate.Hub.Domain;

/// <summary>
/// Normalized provenance of an upload job: a closed schema. The first eight fields are always set;
/// the rest only where the boundary knows them. Unknown keys are rejected, never stored, also inside
/// <see cref="Sidecar"/>.
/// </summary>
public sealed record ProcessingProvenance
{
    /// <summary>Keys a boundary may pass as hints; everything else is decided by the ingest core.</summary>
    public static readonly IReadOnlySet<string> HintKeys = new HashSet<string>(
        ["source_node_key", "transfer_id", "client_cert_thumbprint", "watched_path", "sidecar_path", "original_filename",
         "transfer_key", "envelope_fingerprint_sha256",
         .. SidecarProvenance.Keys.Select(k => SidecarProvenance.HintPrefix + k)],
        StringComparer.Ordinal);

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        WriteIndented = false,
    };

    public required string Entrypoint { get; init; }

    public required string IngestMode { get; init; }

    public required string SourceSystem { get; init; }

    public required string ContentHash { get; init; }

    public required string SourceCenterKey { get; init; }

    public required string StorageClass { get; init; }

    public required string StorageTier { get; init; }

    public required string RetentionPolicy { get; init; }

    public string? DeclaredCenterKey { get; init; }

    public string? ResolvedCenterKey { get; init; }

    public string? HubMode { get; init; }

    public string? SourceNodeKey { get; init; }

    public string? TransferId { get; init; }

    public string? ClientCertThumbprint { get; init; }

    public string? WatchedPath { get; init; }

    public string? SidecarPath { get; init; }

    public string? OriginalFilename { get; init; }

    /// <summary>What a preanonymized export's sidecar declared (its own closed schema), where there was one.</summary>
    public SidecarProvenance? Sidecar { get; init; }

    /// <summary>The hub transfer key (<c>{node}__{kind}__{hash}__processed_v1</c>) of a Python-era REST transfer.</summary>
    public string? TransferKey { get; init; }

    /// <summary>SHA-256 of the canonical media envelope metadata the content arrived in, when it was encrypted.</summary>
    public string? EnvelopeFingerprintSha256 { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Reads stored provenance; unknown keys or a missing required field are a <see cref="ProvenanceSchemaException"/>.</summary>
    public static ProcessingProvenance FromJson(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<ProcessingProvenance>(json, JsonOptions)
                ?? throw new ProvenanceSchemaException("Provenance is empty.");
        }
        catch (JsonException ex)
        {
            throw new ProvenanceSchemaException($"Provenance does not match the schema: {ex.Message}");
        }
    }

    /// <summary>Checks boundary hints against <see cref="HintKeys"/>; names the first unknown key.</summary>
    public static void ValidateHints(IReadOnlyDictionary<string, string>? hints)
    {
        if (hints is null)
        {
            return;
        }

        foreach (var key in hints.Keys.Order(StringComparer.Ordinal))
        {
            if (!HintKeys.Contains(key))
            {
                throw new ProvenanceSchemaException($"Unknown provenance key '{key}'.");
            }

            if (key.StartsWith(SidecarProvenance.HintPrefix, StringComparison.Ordinal) && SidecarProvenance.Problem(key, hints[key]) is { } problem)
            {
                throw new ProvenanceSchemaException(problem);
            }
        }
    }
}
