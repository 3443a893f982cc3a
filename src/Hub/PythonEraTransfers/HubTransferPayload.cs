namespace LxAnnotate.Hub.PythonEraTransfers;

/// <summary>A create payload that passed <see cref="HubTransferPayloadValidator"/>, with defaults applied.</summary>
internal sealed record HubTransferPayload
{
    public required string TransferKey { get; init; }

    public required string SourceNodeKey { get; init; }

    public required string TargetNodeKey { get; init; }

    public required string SourceCenterKey { get; init; }

    public required string ResourceKind { get; init; }

    public required string ResourceHash { get; init; }

    public required string TransferMode { get; init; }

    public string? ProcessingPolicy { get; init; }

    public string? ProcessingIntent { get; init; }

    public string? CleanupPolicy { get; init; }

    public required string PayloadSchemaVersion { get; init; }

    public required string ProcessedMediaHash { get; init; }

    /// <summary>Canonical JSON of <c>resource_rows</c>.</summary>
    public required string ResourceRows { get; init; }

    public string? ProcessingSnapshot { get; init; }

    public string? Provenance { get; init; }

    /// <summary>Canonical JSON of the whole payload (known fields, defaults applied): what idempotency compares.</summary>
    public required string Canonical { get; init; }
}
