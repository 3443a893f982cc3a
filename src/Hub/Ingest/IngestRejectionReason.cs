namespace LxAnnotate.Hub.Ingest;

/// <summary>Why the ingest core refused an artifact; boundaries map these to HTTP or gRPC codes.</summary>
public enum IngestRejectionReason
{
    /// <summary>The boundary needs an authenticated caller and has none.</summary>
    Unauthenticated,

    /// <summary>The declared center is outside the caller's scope (a data-isolation refusal).</summary>
    CenterForbidden,

    /// <summary>No center was declared and the role/boundary allows no default.</summary>
    CenterMissing,

    /// <summary>The center key names no registered center.</summary>
    CenterUnknown,

    /// <summary>This role does not serve this boundary.</summary>
    BoundaryNotAvailable,

    /// <summary>Metadata is malformed (bad key syntax, unknown provenance key, …).</summary>
    InvalidInput,

    /// <summary>The content is larger than the configured limit.</summary>
    TooLarge,

    /// <summary>Received size or SHA-256 differ from what the sender declared.</summary>
    IntegrityMismatch,

    /// <summary>The idempotency key already names an active job whose content (SHA-256 or size) differs.</summary>
    IdempotencyConflict,
}
