namespace LxAnnotate.Hub.Domain;

/// <summary>
/// A transfer announced by a Python-era site node over <c>/api/media/hub/transfers/</c>: the metadata
/// it creates, then the processed media it attaches. Field names follow the Python hub's TransferJob.
/// </summary>
public sealed class HubTransferJob
{
    public Guid Id { get; init; }

    /// <summary><c>{source_node_key}__{resource_kind}__{resource_hash}__processed_v1</c>; unique.</summary>
    public required string TransferKey { get; init; }

    public required string SourceNodeKey { get; init; }

    public required string TargetNodeKey { get; init; }

    public required string SourceCenterKey { get; init; }

    /// <summary><c>video</c> or <c>report</c>.</summary>
    public required string ResourceKind { get; init; }

    public required string ResourceHash { get; init; }

    public required string TransferMode { get; init; }

    public string? ProcessingPolicy { get; init; }

    public string? ProcessingIntent { get; init; }

    public string? CleanupPolicy { get; init; }

    /// <summary><c>2.0</c> (plaintext media) or <c>3.0</c> (encrypted envelope).</summary>
    public required string PayloadSchemaVersion { get; init; }

    /// <summary>Lower-case hex SHA-256 of the processed media the metadata names.</summary>
    public required string ProcessedMediaHash { get; init; }

    /// <summary>Canonical JSON (sorted keys, compact) of the create payload; what an idempotent re-create compares.</summary>
    public required string CanonicalPayload { get; init; }

    /// <summary>The <c>resource_rows</c> object as received (canonical JSON): the metadata rows of the resource.</summary>
    public required string ResourceRows { get; init; }

    public string? ProcessingSnapshot { get; init; }

    public string? Provenance { get; init; }

    public HubTransferStatus TransferStatus { get; set; } = HubTransferStatus.Pending;

    public string? ProcessingDecision { get; set; }

    public string? CleanupStatus { get; set; }

    public string? StatusDetail { get; set; }

    public string? CaseResolutionStatus { get; set; }

    /// <summary>The receipt JSON of the applied media (generation 3.0) or null.</summary>
    public string? EnvelopeReceipt { get; set; }

    /// <summary>SHA-256 of the canonical envelope metadata of the applied media; null for plaintext media.</summary>
    public string? EnvelopeFingerprint { get; set; }

    /// <summary>SHA-256 of the bytes received for the applied media (the ciphertext, or the plaintext for 2.0).</summary>
    public string? ReceivedMediaSha256 { get; set; }

    public Guid? UploadJobId { get; set; }

    /// <summary>Set while a media upload holds the job; a second upload meanwhile is refused (409).</summary>
    public DateTimeOffset? MediaUploadStartedAt { get; set; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? AppliedAt { get; set; }
}
