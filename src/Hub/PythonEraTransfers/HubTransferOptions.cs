using LxAnnotate.Shared.Envelope;

namespace LxAnnotate.Hub.PythonEraTransfers;

/// <summary>
/// The Python-era REST transfer endpoints (<c>/api/media/hub/transfers/</c>); bound from the variables named here
/// by <see cref="HubTransferOptionsResolver"/>.
/// </summary>
internal sealed record HubTransferOptions
{
    public const string EnabledVariable = "ENDOREG_ENABLE_HUB_TRANSFERS";
    public const string AllowPlaintextMediaVariable = "ENDOREG_HUB_TRANSFER_ALLOW_PLAINTEXT_MEDIA";
    public const string MaxUploadBytesVariable = "ENDOREG_HUB_TRANSFER_MAX_UPLOAD_BYTES";
    public const string NodeKeyVariable = "LXA_HUB_NODE_KEY";

    /// <summary>Served only by a central hub that turns them on.</summary>
    public bool Enabled { get; init; }

    /// <summary>Accept generation-2.0 plaintext media (a migration aid).</summary>
    public bool AllowPlaintextMedia { get; init; }

    /// <summary>Largest media body of a hub transfer.</summary>
    public long MaxUploadBytes { get; init; } = 50L * 1024 * 1024 * 1024;

    /// <summary>This hub's node key, the default and only accepted <c>target_node_key</c>.</summary>
    public string HubNodeKey { get; init; } = "hub";

    /// <summary>Recipient private keys of media envelopes: the ring the gRPC transfer receiver opens envelopes with.</summary>
    public RecipientKeyRing RecipientKeys { get; init; } = RecipientKeyRing.Empty;
}
