namespace LxAnnotate.Hub.Transfer;

/// <summary>What a sender declares before sending bytes.</summary>
public sealed record TransferOffer
{
    public required string Sha256 { get; init; }

    public long SizeBytes { get; init; }

    public required string ContentType { get; init; }

    public string? OriginalFilename { get; init; }

    public string? CenterKey { get; init; }

    public required string SourceSystem { get; init; }

    public string? IdempotencyKey { get; init; }

    public IReadOnlyDictionary<string, string>? ProvenanceHints { get; init; }

    /// <summary>Envelope metadata JSON when the uploaded bytes are a <c>hub_media_envelope_v1</c> ciphertext.</summary>
    public string? EnvelopeJson { get; init; }
}
