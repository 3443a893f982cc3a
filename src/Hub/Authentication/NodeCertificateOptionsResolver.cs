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
            MtlsMetaKey = environment.Read(NodeCertificateOptions.MetaKeyVariable),
            MtlsMetaValue = environment.Read(NodeCertificateOptions.MetaValueVariable),
            TrustedProxies = TrustedProxies(environment),
            NodeCaFile = environment.ExistingFile(NodeCertificateOptions.CaFileVariable),
            NodeCaKeyFile = environment.ExistingFile(NodeCertificateOptions.CaKeyFileVariable),
            NodeCertificateDays = (int)Math.Min(
                environment.PositiveNumber(NodeCertificateOptions.CertificateDaysVariable, 365), NodeCertificateOptions.MaxCertificateDays + 1L),
            RequireSecureTransport = environment.Bool(NodeCertificateOptions.RequireSecureTransportVariable, true),
            ForwardedCertificateHeader = environment.Read(NodeCertificateOptions.ForwardedCertificateHeaderVariable) ?? "X-SSL-Client-Cert",
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

    private static List<IPAddress> TrustedProxies(HubEnvironment environment) =>
        (environment.Read(NodeCertificateOptions.TrustedProxiesVariable) ?? "")
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
