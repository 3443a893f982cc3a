using LxAnnotate.Shared.Transfer;

namespace LxAnnotate.Hub.Transfer;

/// <summary>
/// Limits and timings of the transfer receiver, and the envelope keys it opens media with; bound from the
/// variables named here by <see cref="TransferOptionsResolver"/>.
/// </summary>
public sealed record TransferOptions
{
    public const string MaxBytesVariable = "LXA_HUB_TRANSFER_MAX_BYTES";
    public const string CheckpointBytesVariable = "LXA_HUB_TRANSFER_CHECKPOINT_BYTES";
    public const string ExpireHoursVariable = "LXA_HUB_TRANSFER_EXPIRE_HOURS";
    public const string ExpireMinutesVariable = "LXA_HUB_TRANSFER_EXPIRE_MINUTES";
    public const string RecipientKeyFilesVariable = "ENDOREG_HUB_TRANSFER_RECIPIENT_PRIVATE_KEY_FILES";
    public const string RequireRootOwnedKeysVariable = "ENDOREG_HUB_TRANSFER_REQUIRE_ROOT_OWNED_PRIVATE_KEYS";
    public const string RequireEnvelopeVariable = "LX_ANNOTATE_HUB_REQUIRE_ENVELOPE";

    /// <summary>Largest artifact a sender may offer (default 50 GiB).</summary>
    public long MaxArtifactBytes { get; init; } = 50L * 1024 * 1024 * 1024;

    public int MaxChunkBytes { get; init; } = TransferLimits.DefaultMaxChunkBytes;

    /// <summary>
    /// The most a sender re-sends after this hub process dies mid-transfer (plus the chunk crossing the mark): an
    /// fsync starts every half of it while the next bytes arrive, and its offset is recorded once it is done.
    /// </summary>
    public long CheckpointBytes { get; init; } = 16L * 1024 * 1024;

    /// <summary>
    /// An open transfer untouched this long is expired and its partial bytes removed: whole hours, or whole minutes
    /// when <c>LXA_HUB_TRANSFER_EXPIRE_MINUTES</c> is set instead.
    /// </summary>
    public TimeSpan ExpireAfter { get; init; } = TimeSpan.FromHours(24);

    /// <summary>
    /// How often an Upload stream that receives nothing re-reads its sender's standing in the database. A revoked
    /// certificate or deactivated node must lose its transfer lock within 5 s, also when another hub process wrote
    /// the revocation; 2 s keeps that bound with room for the query, at one small query per idle stream.
    /// </summary>
    public TimeSpan StandingCheckInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Keys that open envelopes sent over gRPC (the same ring as the REST hub transfers).</summary>
    public LxAnnotate.Shared.Envelope.RecipientKeyRing RecipientKeys { get; init; } = LxAnnotate.Shared.Envelope.RecipientKeyRing.Empty;

    /// <summary>When true, an offer without an envelope is refused (<c>LX_ANNOTATE_HUB_REQUIRE_ENVELOPE</c>).</summary>
    public bool RequireEnvelope { get; init; }
}
