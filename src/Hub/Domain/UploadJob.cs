namespace LxAnnotate.Hub.Domain;

/// <summary>One ingested artifact and its processing state. Created only by the ingest core.</summary>
public sealed class UploadJob
{
    public Guid Id { get; init; }

    /// <summary>Change only through <see cref="TransitionTo"/> so the transition table is always enforced.</summary>
    public UploadJobStatus Status { get; private set; } = UploadJobStatus.Pending;

    public UploadJobErrorCode? ErrorCode { get; private set; }

    public string? ErrorDetail { get; private set; }

    public long SourceCenterId { get; init; }

    public Center? SourceCenter { get; init; }

    public required string SourceSystem { get; init; }

    public IngestMode IngestMode { get; init; }

    public required string ContentType { get; init; }

    /// <summary>Lower-case hex SHA-256 of the artifact's plaintext (for the encrypted class, of the bytes before encryption).</summary>
    public required string ContentHash { get; init; }

    /// <summary>Plaintext length; an encrypted artifact's reader checks it against the file's geometry.</summary>
    public long SizeBytes { get; init; }

    public string? IdempotencyKey { get; init; }

    public string? OriginalFilename { get; init; }

    /// <summary>Path of the stored file relative to <c>STORAGE_DIR</c>.</summary>
    public required string StoragePath { get; init; }

    /// <summary>
    /// How the stored file is kept, which the hub's storage, media serving and worker depend on:
    /// <c>managed</c> (plaintext on the operator's encrypted filesystem) or <c>encrypted</c> (LXENC01). Not the
    /// original's <see cref="StorageClass"/>, which says where in its lifecycle the file is.
    /// </summary>
    public required string StorageEncoding { get; init; }

    /// <summary>The original's lifecycle class (<see cref="UploadStorageClasses"/>), <c>ingest</c> for every job the hub creates.</summary>
    public required string StorageClass { get; init; }

    public required string StorageTier { get; init; }

    public required string RetentionPolicy { get; init; }

    public required ProcessingProvenance ProcessingProvenance { get; init; }

    public int RetryCount { get; set; }

    public int MaxRetries { get; set; } = 3;

    public DateTimeOffset? NextRetryAt { get; set; }

    public string? ProcessingLeaseOwner { get; set; }

    public DateTimeOffset? ProcessingLeaseExpiresAt { get; set; }

    /// <summary>
    /// Fencing token: raised by one on every claim. A worker writes its result only while the row still
    /// carries the token it claimed with, so a worker whose lease expired (and was re-claimed) cannot.
    /// </summary>
    public long ProcessingLeaseToken { get; set; }

    /// <summary>What ffprobe found in a video, once probed; null for reports and unprobed jobs.</summary>
    public VideoMediaInfo? MediaInfo { get; set; }

    /// <summary>Lower-case hex SHA-256 of the anonymized (masked) video, once produced.</summary>
    public string? ProcessedVideoHash { get; set; }

    public DateTimeOffset? ProcessedAt { get; set; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Moves the job to <paramref name="next"/>; throws when the transition table forbids it.</summary>
    public void TransitionTo(UploadJobStatus next, DateTimeOffset now, UploadJobErrorCode? errorCode = null, string? errorDetail = null)
    {
        UploadJobTransitions.EnsureAllowed(Status, next);
        var failed = next is UploadJobStatus.Error or UploadJobStatus.Lost;
        if (failed && errorCode is null)
        {
            throw new ArgumentException($"A transition to '{next.ToWire()}' needs an error code.", nameof(errorCode));
        }

        Status = next;
        ErrorCode = failed || next == UploadJobStatus.Retrying ? errorCode : null;
        ErrorDetail = failed || next == UploadJobStatus.Retrying ? errorDetail : null;
        UpdatedAt = now;
    }
}
