namespace LxAnnotate.Shared.Envelope;

/// <summary>The identity fields an envelope binds its ciphertext to (all part of the AAD).</summary>
public sealed record EnvelopeIdentity(
    string TransferKey,
    string SourceNodeKey,
    string SourceCenterKey,
    string TargetNodeKey,
    string ResourceKind,
    string ResourceHash,
    string TransferMode,
    string MediaRole);
