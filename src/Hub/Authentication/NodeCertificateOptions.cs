using System.Net;

namespace LxAnnotate.Hub.Authentication;

/// <summary>
/// How nodes prove who they are: mutual TLS, the proxy that may terminate it, and the node CA that issues their
/// certificates; bound from the variables named here by <see cref="NodeCertificateOptionsResolver"/>.
/// </summary>
internal sealed record NodeCertificateOptions
{
    public const string RequireMtlsVariable = "ENDOREG_HUB_TRANSFER_REQUIRE_MTLS";
    public const string RequireSecureTransportVariable = "ENDOREG_HUB_TRANSFER_REQUIRE_SECURE_TRANSPORT";
    public const string MetaKeyVariable = "ENDOREG_HUB_TRANSFER_MTLS_META_KEY";
    public const string MetaValueVariable = "ENDOREG_HUB_TRANSFER_MTLS_META_VALUE";
    public const string TrustedProxiesVariable = "LXA_HUB_TRUSTED_PROXIES";
    public const string ForwardedCertificateHeaderVariable = "LXA_HUB_FORWARDED_CERT_HEADER";
    public const string CaFileVariable = "LXA_HUB_NODE_CA_FILE";
    public const string CaKeyFileVariable = "LXA_HUB_NODE_CA_KEY_FILE";
    public const string CertificateDaysVariable = "LXA_HUB_NODE_CERT_DAYS";

    /// <summary>Longest validity <see cref="NodeCertificateDays"/> may ask for.</summary>
    public const int MaxCertificateDays = 3650;

    public bool RequireMtls { get; init; } = true;

    public bool RequireSecureTransport { get; init; } = true;

    /// <summary>
    /// Proxy attestation header name and value; both set or neither. The name may be given as the original's Django
    /// META key (<c>HTTP_X_CLIENT_CERT_VERIFIED</c>); it is held here as the header name (<see cref="ProxyHeaderName"/>).
    /// </summary>
    public string? MtlsMetaKey { get; init; }

    public string? MtlsMetaValue { get; init; }

    /// <summary>Addresses whose forwarded client certificate and X-Forwarded-Proto are believed.</summary>
    public IReadOnlyList<IPAddress> TrustedProxies { get; init; } = [];

    public string ForwardedCertificateHeader { get; init; } = "X-SSL-Client-Cert";

    /// <summary>PEM of the CA that issues node client certificates.</summary>
    public string? NodeCaFile { get; init; }

    /// <summary>
    /// Private key of the node CA (PEM), with which the hub signs node certificates at enrollment and renewal;
    /// null: the hub signs nothing (it never creates a CA key).
    /// </summary>
    public string? NodeCaKeyFile { get; init; }

    /// <summary>Validity of a certificate the hub issues, cut at the CA's own end.</summary>
    public int NodeCertificateDays { get; init; } = 365;
}
