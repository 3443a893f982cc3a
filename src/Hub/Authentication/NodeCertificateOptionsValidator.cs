using LxAnnotate.Hub.Configuration;
using LxAnnotate.Shared.Configuration;
using Microsoft.Extensions.Options;

namespace LxAnnotate.Hub.Authentication;

internal sealed class NodeCertificateOptionsValidator : IValidateOptions<NodeCertificateOptions>
{
    public static ConfigurationContractException? Problem(NodeCertificateOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if ((options.MtlsMetaKey is null) != (options.MtlsMetaValue is null))
        {
            return new ConfigurationContractException(
                options.MtlsMetaKey is null ? NodeCertificateOptions.MetaKeyVariable : NodeCertificateOptions.MetaValueVariable,
                "set both ENDOREG_HUB_TRANSFER_MTLS_META_KEY and ENDOREG_HUB_TRANSFER_MTLS_META_VALUE, or neither");
        }

        if (options.NodeCaKeyFile is not null && options.NodeCaFile is null)
        {
            return new ConfigurationContractException(NodeCertificateOptions.CaKeyFileVariable, "needs LXA_HUB_NODE_CA_FILE, the certificate of the node CA whose key it is");
        }

        return options.NodeCertificateDays switch
        {
            <= 0 => new ConfigurationContractException(NodeCertificateOptions.CertificateDaysVariable, "must be a positive whole number"),
            > NodeCertificateOptions.MaxCertificateDays => new ConfigurationContractException(
                NodeCertificateOptions.CertificateDaysVariable, $"must be at most {NodeCertificateOptions.MaxCertificateDays}"),
            _ => null,
        };
    }

    public ValidateOptionsResult Validate(string? name, NodeCertificateOptions options) => Problem(options).ToValidateOptionsResult();
}
