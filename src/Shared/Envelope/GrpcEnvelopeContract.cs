namespace LxAnnotate.Shared.Envelope;

/// <summary>
/// The identity fields of a <c>hub_media_envelope_v1</c> envelope on the gRPC transfer path. The node fills them,
/// the hub checks them at <c>Offer</c> against the offer and the caller; all of them are bound by the AAD.
/// </summary>
public static class GrpcEnvelopeContract
{
    /// <summary><c>transfer_mode</c> of every envelope sent over gRPC.</summary>
    public const string TransferMode = "grpc_transfer_v1";

    /// <summary><c>media_role</c> of every envelope sent over gRPC: the artifact as offered.</summary>
    public const string MediaRole = "artifact";

    /// <summary><c>target_node_key</c>: the receiving hub (the gRPC path names no hub node key).</summary>
    public const string TargetNodeKey = "lxa-hub";

    /// <summary><c>source_center_key</c> when the offer declares no center (the node's default center applies).</summary>
    public const string DefaultCenter = "default";

    /// <summary><c>video</c> for video/*, <c>report</c> for PDF, <c>document</c> otherwise.</summary>
    public static string ResourceKind(string contentType)
    {
        ArgumentNullException.ThrowIfNull(contentType);
        if (contentType.StartsWith("video/", StringComparison.OrdinalIgnoreCase))
        {
            return "video";
        }

        return string.Equals(contentType, "application/pdf", StringComparison.OrdinalIgnoreCase) ? "report" : "document";
    }

    /// <summary><c>{source_node_key}__{resource_kind}__{plaintext_sha256}__grpc_v1</c>.</summary>
    public static string TransferKey(string sourceNodeKey, string resourceKind, string sha256) =>
        $"{sourceNodeKey}__{resourceKind}__{sha256}__grpc_v1";

    /// <summary>The identity a node binds an artifact's envelope to.</summary>
    public static EnvelopeIdentity Identity(string sourceNodeKey, string? declaredCenterKey, string contentType, string sha256)
    {
        var kind = ResourceKind(contentType);
        return new EnvelopeIdentity(
            TransferKey(sourceNodeKey, kind, sha256),
            sourceNodeKey,
            string.IsNullOrEmpty(declaredCenterKey) ? DefaultCenter : declaredCenterKey,
            TargetNodeKey,
            kind,
            sha256,
            TransferMode,
            MediaRole);
    }
}
