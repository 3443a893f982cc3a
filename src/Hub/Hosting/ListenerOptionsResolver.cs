using LxAnnotate.Hub.Authentication;
using LxAnnotate.Hub.Configuration;
using LxAnnotate.Shared.Configuration;

namespace LxAnnotate.Hub.Hosting;

/// <summary>Reads <see cref="ListenerOptions"/> from the environment; the transfer listener is on by default on a central hub.</summary>
internal static class ListenerOptionsResolver
{
    public static ListenerOptions Resolve(HubEnvironment environment, LxaRuntimeSettings runtime, NodeCertificateOptions nodeCertificates)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(runtime);
        var options = new ListenerOptions
        {
            ApiUrl = environment.Url(ListenerOptions.ApiUrlVariable, "https://0.0.0.0:8443")!,
            TransferUrl = environment.Url(ListenerOptions.TransferUrlVariable, runtime.Role == DeploymentRole.CentralHub ? "https://0.0.0.0:8444" : null),
            TlsCertificateFile = environment.ExistingFile(ListenerOptions.TlsCertificateFileVariable),
            TlsKeyFile = environment.ExistingFile(ListenerOptions.TlsKeyFileVariable),
            LocalSocketPath = environment.Read(ListenerOptions.LocalSocketVariable) switch
            {
                null => Path.Combine(runtime.Paths.RunDir, "hub.sock"),
                "off" => null,
                var path when Path.IsPathFullyQualified(path) => path,
                _ => throw new ConfigurationContractException(ListenerOptions.LocalSocketVariable, "must be an absolute path or 'off'"),
            },
        };
        return ListenerOptionsValidator.Problem(options, nodeCertificates) is { } problem ? throw problem : options;
    }
}
