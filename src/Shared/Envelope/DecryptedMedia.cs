namespace LxAnnotate.Shared.Envelope;

/// <summary>A verified decryption: tag and plaintext SHA-256 checked, plaintext durable at <see cref="PlaintextPath"/>.</summary>
public sealed record DecryptedMedia(string PlaintextPath, string PlaintextSha256, long PlaintextSize, string CiphertextSha256, long CiphertextSize);
