namespace LxAnnotate.Node.Hosting;

/// <summary>Settings of <c>lxa-node</c> beyond the shared runtime contract; resolved by <see cref="NodeSettingsResolver"/>.</summary>
internal sealed record NodeSettings
{
    /// <summary>Hub transfer listener over mTLS (<c>LXA_NODE_HUB_URL</c>); null means the hub's Unix socket.</summary>
    public Uri? HubUrl { get; init; }

    /// <summary>The hub's Unix socket on the same host (<c>LXA_NODE_HUB_SOCKET</c>, default <c>${root}/run/hub.sock</c>).</summary>
    public required string HubSocketPath { get; init; }

    /// <summary>This node's key (<c>LXA_NODE_KEY</c>, optional): the name enrollment and renewal ask the hub to certify.</summary>
    public string? NodeKey { get; init; }

    public string? CertificateFile { get; init; }

    public string? KeyFile { get; init; }

    /// <summary>CA that signed the hub's server certificate (<c>LXA_NODE_HUB_CA_FILE</c>).</summary>
    public string? HubCaFile { get; init; }

    /// <summary>Where taken files wait for the hub: same filesystem as the drop folders, so taking is a rename.</summary>
    public required string OutboxDir { get; init; }

    public required string OutboxDatabase { get; init; }

    public TimeSpan StableAfter { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a preanonymized file waits for its <c>.json</c> sidecar before it is quarantined.</summary>
    public TimeSpan SidecarWait { get; init; } = TimeSpan.FromMinutes(5);

    public int SyncConcurrency { get; init; } = 2;

    /// <summary><c>delete_after_success</c> (default) or <c>preserve_source</c>.</summary>
    public bool DeleteAfterSuccess { get; init; } = true;

    public string SourceSystem { get; init; } = "lxa-node";

    /// <summary>Limits on SAP IS-H archives (<c>LXA_SAP_IMPORT_MAX_*</c>).</summary>
    public SapImport.ArchiveLimits SapImportLimits { get; init; } = new();

    /// <summary>Source system the SAP import declares in its sidecars (<c>LXA_SAP_IMPORT_SOURCE_SYSTEM</c>).</summary>
    public string SapImportSourceSystem { get; init; } = "sap_ish";

    /// <summary>Center the SAP import declares (<c>LXA_SAP_IMPORT_CENTER_KEY</c>); null for the node's default.</summary>
    public string? SapImportCenterKey { get; init; }

    /// <summary>Center name written into the sidecars (<c>LXA_SAP_IMPORT_CENTER_NAME</c>).</summary>
    public string? SapImportCenterName { get; init; }

    /// <summary>
    /// The hub's envelope recipient public key (<c>LX_ANNOTATE_HUB_EXPORT_RECIPIENT_PUBLIC_KEY_FILE</c>); when set,
    /// every artifact is sent as a <c>hub_media_envelope_v1</c> ciphertext.
    /// </summary>
    public Org.BouncyCastle.Crypto.Parameters.X25519PublicKeyParameters? ExportRecipientPublicKey { get; init; }
}
