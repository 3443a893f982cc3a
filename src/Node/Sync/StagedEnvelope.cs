namespace LxAnnotate.Node.Sync;

/// <summary>An artifact's envelope ciphertext staged in the outbox, and its metadata JSON as sent in <c>Offer</c>.</summary>
internal sealed record StagedEnvelope(string CiphertextPath, string MetadataJson, string FingerprintSha256);
