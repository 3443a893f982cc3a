using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using LxAnnotate.Shared.Configuration;
using Microsoft.Extensions.Configuration;

namespace LxAnnotate.Hub.Operators;

/// <summary>
/// The hub variables operator commands need. Only what a command actually uses is checked, and only when
/// it runs: listing centers must work on a host whose TLS or OIDC settings are still incomplete.
/// </summary>
internal sealed record OperatorSettings(string? NodeCaFile)
{
    public const string NodeCaFileVariable = "LXA_HUB_NODE_CA_FILE";

    public static OperatorSettings From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return new OperatorSettings(configuration[NodeCaFileVariable] is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null);
    }

    /// <summary>The node CA the hub trusts for client certificates, loaded as the hub loads it.</summary>
    public X509Certificate2 LoadNodeCa()
    {
        if (NodeCaFile is null)
        {
            throw new ConfigurationContractException(NodeCaFileVariable, "not set; certificates are checked against the node CA certificate (PEM) it names");
        }

        if (!File.Exists(NodeCaFile))
        {
            throw new ConfigurationContractException(NodeCaFileVariable, $"file '{NodeCaFile}' does not exist or is not readable");
        }

        try
        {
            return X509CertificateLoader.LoadCertificateFromFile(NodeCaFile);
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationContractException(NodeCaFileVariable, $"file '{NodeCaFile}' is not a readable PEM certificate", ex);
        }
    }
}
