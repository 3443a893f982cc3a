using LxAnnotate.Hub.Domain;

namespace LxAnnotate.Hub.Ingest;

/// <summary>What a boundary declares about an artifact it hands to <see cref="IngestService"/>.</summary>
public sealed record IngestRequest
{
    public required IngestMode Boundary { get; init; }

    /// <summary>Which entry point took the artifact (e.g. <c>api</c>, <c>transfer.grpc</c>); goes into provenance as <see cref="OriginalUploadVocabulary.Entrypoint"/> names it.</summary>
    public required string Entrypoint { get; init; }

    public required CallerIdentity Caller { get; init; }

    public string? DeclaredCenterKey { get; init; }

    public required string SourceSystem { get; init; }

    public string? IdempotencyKey { get; init; }

    public required string ContentType { get; init; }

    public string? OriginalFilename { get; init; }

    /// <summary>Optional provenance the boundary knows; keys outside <see cref="ProcessingProvenance.HintKeys"/> are refused.</summary>
    public IReadOnlyDictionary<string, string>? ProvenanceHints { get; init; }

    /// <summary>Lower-case hex SHA-256 the sender declared; a mismatch rejects the artifact.</summary>
    public string? ExpectedSha256 { get; init; }

    public long? ExpectedSizeBytes { get; init; }

    public string StorageClass { get; init; } = StorageClasses.Managed;

    /// <summary>Null: the original's tier for the boundary (<see cref="OriginalUploadVocabulary.StorageTier"/>).</summary>
    public string? StorageTier { get; init; }

    /// <summary>Null: the original's <c>preserve_source</c>.</summary>
    public string? RetentionPolicy { get; init; }
}
