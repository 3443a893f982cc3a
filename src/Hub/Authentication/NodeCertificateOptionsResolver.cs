using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography;
using LxAnnotate.Hub.Configuration;
using LxAnnotate.Shared.Configuration;

namespace LxAnnotate.Hub.Authentication;

/// <summary>Reads <see cref="NodeCertificateOptions"/> from the environment.</summary>
internal static class NodeCertificateOptionsResolver
{
    public static NodeCertificateOptions Resolve(HubEnvironment environment, DeploymentRole role)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var requireMtls = environment.Bool(NodeCertificateOptions.RequireMtlsVariable, true);
        if (role == DeploymentRole.CentralHub && !requireMtls)
        {
            throw new ConfigurationContractException(NodeCertificateOptions.RequireMtlsVariable, "central_hub refuses to start without mutual TLS for transfers");
        }

        var options = new NodeCertificateOptions
        {
            RequireMtls = requireMtls,
            MtlsMetaKey = ProxyHeaderName.FromSetting(environment.Read(NodeCertificateOptions.MetaKeyVariable)),
            MtlsMetaValue = environment.Read(NodeCertificateOptions.MetaValueVariable),
            TrustedProxies = TrustedProxies(environment),
            NodeCaFile = environment.ExistingFile(NodeCertificateOptions.CaFileVariable),
            NodeCaKeyFile = environment.ExistingFile(NodeCertificateOptions.CaKeyFileVariable),
            NodeCertificateDays = (int)Math.Min(
                environment.PositiveNumber(NodeCertificateOptions.CertificateDaysVariable, 365), NodeCertificateOptions.MaxCertificateDays + 1L),
            RequireSecureTransport = environment.Bool(NodeCertificateOptions.RequireSecureTransportVariable, true),
            ForwardedCertificateHeader = ProxyHeaderName.FromSetting(environment.Read(NodeCertificateOptions.ForwardedCertificateHeaderVariable)) ?? "X-SSL-Client-Cert",
        };
        if (NodeCertificateOptionsValidator.Problem(options) is { } problem)
        {
            throw problem;
        }

        if (options.NodeCaKeyFile is { } caKeyFile)
        {
            CheckCaKey(options.NodeCaFile!, caKeyFile);
        }

        return options;
    }

    /// <summary>
    /// <c>LXA_HUB_TRUSTED_PROXIES</c>; unset with an attestation header configured (the original's env file, which has
    /// no such variable): the loopback addresses. The original believed the attestation from whatever reached Django,
    /// which listens on 127.0.0.1 behind its nginx; a proxy on another host must be named.
    /// </summary>
    private static List<IPAddress> TrustedProxies(HubEnvironment environment)
    {
        var configured = environment.Read(NodeCertificateOptions.TrustedProxiesVariable);
        return configured is null && environment.Read(NodeCertificateOptions.MetaKeyVariable) is not null
            ? [IPAddress.Loopback, IPAddress.IPv6Loopback]
            : ParseAddresses(configured);
    }

    private static List<IPAddress> ParseAddresses(string? configured) =>
        (configured ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => IPAddress.TryParse(p, out var ip)
                ? ip
                : throw new ConfigurationContractException(NodeCertificateOptions.TrustedProxiesVariable, $"'{p}' is not an IP address"))
            .ToList();

    /// <summary>
    /// The key must be the CA certificate's own and the certificate a CA: found at start, not at the first
    /// enrollment. The messages name files, never key material.
    /// </summary>
    private static void CheckCaKey(string caFile, string caKeyFile)
    {
        try
        {
            using var ca = X509Certificate2.CreateFromPemFile(caFile, caKeyFile);
            if (!ca.Extensions.OfType<X509BasicConstraintsExtension>().Any(b => b.CertificateAuthority))
            {
                throw new ConfigurationContractException(NodeCertificateOptions.CaFileVariable, $"file '{caFile}' is not a CA certificate, so it cannot sign node certificates");
            }
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationContractException(
                NodeCertificateOptions.CaKeyFileVariable,
                $"file '{caKeyFile}' is not an unencrypted PEM private key matching the certificate in LXA_HUB_NODE_CA_FILE");
        }
    }
}
