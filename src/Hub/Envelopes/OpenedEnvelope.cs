using LxAnnotate.Hub.Storage;

namespace LxAnnotate.Hub.Envelopes;

/// <summary>A verified plaintext staged for the ingest core, and the SHA-256 of the ciphertext it came from.</summary>
internal sealed record OpenedEnvelope(StagedContent Plaintext, string CiphertextSha256);
