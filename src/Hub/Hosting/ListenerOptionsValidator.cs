using LxAnnotate.Hub.Authentication;
using LxAnnotate.Hub.Configuration;
using LxAnnotate.Shared.Configuration;
using Microsoft.Extensions.Options;

namespace LxAnnotate.Hub.Hosting;

/// <summary>The listeners against the node-certificate trust they depend on.</summary>
internal sealed class ListenerOptionsValidator(NodeCertificateOptions nodeCertificates) : IValidateOptions<ListenerOptions>
{
    public static ConfigurationContractException? Problem(ListenerOptions options, NodeCertificateOptions nodeCertificates)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(nodeCertificates);

        // A plain-HTTP transfer listener is only acceptable behind a proxy that terminates mTLS and attests it.
        if (options.TransferUrl is { Scheme: "http" } && (nodeCertificates.MtlsMetaKey is null || nodeCertificates.TrustedProxies.Count == 0))
        {
            return new ConfigurationContractException(
                ListenerOptions.TransferUrlVariable,
                "an http:// transfer listener needs a TLS-terminating proxy: set LXA_HUB_TRUSTED_PROXIES and ENDOREG_HUB_TRANSFER_MTLS_META_KEY/_VALUE");
        }

        var needsTls = options.ApiUrl.Scheme == "https" || options.TransferUrl?.Scheme == "https";
        if (needsTls && (options.TlsCertificateFile is null || options.TlsKeyFile is null))
        {
            return new ConfigurationContractException(
                options.TlsCertificateFile is null ? ListenerOptions.TlsCertificateFileVariable : ListenerOptions.TlsKeyFileVariable,
                "an https:// listener needs LXA_HUB_TLS_CERT_FILE and LXA_HUB_TLS_KEY_FILE (PEM)");
        }

        return options.TransferUrl is not null && nodeCertificates.NodeCaFile is null
            ? new ConfigurationContractException(NodeCertificateOptions.CaFileVariable, "the transfer listener needs the node CA certificate (PEM)")
            : null;
    }

    public ValidateOptionsResult Validate(string? name, ListenerOptions options) => Problem(options, nodeCertificates).ToValidateOptionsResult();
}
