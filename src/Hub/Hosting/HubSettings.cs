namespace LxAnnotate.Hub.Hosting;

/// <summary>Settings of <c>lxa-hub serve</c> beyond the shared runtime contract; resolved by <see cref="HubSettingsResolver"/>.</summary>
internal sealed record HubSettings
{
    /// <summary>REST gateway and health (<c>LXA_HUB_API_URL</c>); http or https.</summary>
    public required Uri ApiUrl { get; init; }

    /// <summary>gRPC transfer receiver (<c>LXA_HUB_TRANSFER_URL</c>); null when off (standalone only).</summary>
    public Uri? TransferUrl { get; init; }

    /// <summary>Unix socket for the trusted local drop zone (<c>LXA_HUB_LOCAL_SOCKET</c>); null when off.</summary>
    public string? LocalSocketPath { get; init; }

    public string? TlsCertificateFile { get; init; }

    public string? TlsKeyFile { get; init; }

    /// <summary>PEM of the CA that issues node client certificates (<c>LXA_HUB_NODE_CA_FILE</c>).</summary>
    public string? NodeCaFile { get; init; }

    /// <summary>
    /// Private key of the node CA (<c>LXA_HUB_NODE_CA_KEY_FILE</c>, PEM), with which the hub signs node
    /// certificates at enrollment and renewal; null: the hub signs nothing (it never creates a CA key).
    /// </summary>
    public string? NodeCaKeyFile { get; init; }

    /// <summary>Validity of a certificate the hub issues (<c>LXA_HUB_NODE_CERT_DAYS</c>), cut at the CA's own end.</summary>
    public int NodeCertificateDays { get; init; } = 365;

    public bool RequireMtls { get; init; } = true;

    public bool RequireSecureTransport { get; init; } = true;

    /// <summary>Proxy attestation header name and value (<c>ENDOREG_HUB_TRANSFER_MTLS_META_KEY/_VALUE</c>).</summary>
    public string? MtlsMetaKey { get; init; }

    public string? MtlsMetaValue { get; init; }

    /// <summary>Addresses whose forwarded client certificate and X-Forwarded-Proto are believed.</summary>
    public IReadOnlyList<System.Net.IPAddress> TrustedProxies { get; init; } = [];

    public string ForwardedCertificateHeader { get; init; } = "X-SSL-Client-Cert";

    public long UploadMaxBytes { get; init; } = 1024L * 1024 * 1024;

    public long TransferMaxBytes { get; init; } = 50L * 1024 * 1024 * 1024;

    public long TransferCheckpointBytes { get; init; } = 8L * 1024 * 1024;

    public TimeSpan TransferExpireAfter { get; init; } = TimeSpan.FromHours(24);

    public bool JsonLogs { get; init; }

    /// <summary><c>ENFORCE_AUTH</c>: REST calls need a bearer token (always true on a central hub).</summary>
    public bool EnforceAuth { get; init; }

    public OidcSettings? Oidc { get; init; }

    /// <summary>
    /// <c>LX_ANNOTATE_MEDIA_ACCEL_REDIRECT</c>: <c>GET /api/media/{id}</c> only authorizes and hands plaintext
    /// media to nginx with <c>X-Accel-Redirect</c> (default on <c>central_hub</c>); off, the hub serves the bytes.
    /// </summary>
    public bool MediaAccelRedirect { get; init; }

    /// <summary>
    /// The Python-era REST transfer endpoints (<c>/api/media/hub/transfers/</c>): served only by a central hub
    /// with <c>ENDOREG_ENABLE_HUB_TRANSFERS=true</c>.
    /// </summary>
    public bool HubTransfersEnabled { get; init; }

    /// <summary><c>ENDOREG_HUB_TRANSFER_ALLOW_PLAINTEXT_MEDIA</c>: accept generation-2.0 plaintext media (a migration aid).</summary>
    public bool HubTransferAllowPlaintextMedia { get; init; }

    /// <summary><c>ENDOREG_HUB_TRANSFER_MAX_UPLOAD_BYTES</c>: largest media body of a hub transfer.</summary>
    public long HubTransferMaxUploadBytes { get; init; } = 50L * 1024 * 1024 * 1024;

    /// <summary><c>LXA_HUB_NODE_KEY</c>: this hub's node key, the default and only accepted <c>target_node_key</c>.</summary>
    public string HubNodeKey { get; init; } = "hub";

    /// <summary>Recipient private keys of media envelopes (<c>ENDOREG_HUB_TRANSFER_RECIPIENT_PRIVATE_KEY_FILES</c>).</summary>
    public LxAnnotate.Shared.Envelope.RecipientKeyRing RecipientKeys { get; init; } = LxAnnotate.Shared.Envelope.RecipientKeyRing.Empty;

    /// <summary>gRPC offers without a media envelope are refused (<c>LX_ANNOTATE_HUB_REQUIRE_ENVELOPE</c>).</summary>
    public bool RequireEnvelope { get; init; }
}
