using LxAnnotate.Hub.Authentication;
using LxAnnotate.Hub.Configuration;
using LxAnnotate.Shared.Configuration;

namespace LxAnnotate.Hub.Hosting;

/// <summary>
/// Reads <see cref="ListenerOptions"/> from the environment; the transfer listener is on by default on a central hub.
/// Without <c>LXA_HUB_API_URL</c> the API listens where the original's unit ran daphne: plain HTTP on
/// <c>DJANGO_HOST</c>:<c>DJANGO_PORT</c> (daphne's defaults 127.0.0.1 and 8000), so an unchanged env file and nginx keep working.
/// </summary>
internal static class ListenerOptionsResolver
{
    public static ListenerOptions Resolve(HubEnvironment environment, LxaRuntimeSettings runtime, NodeCertificateOptions nodeCertificates)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(runtime);
        var options = new ListenerOptions
        {
            ApiUrl = environment.Url(ListenerOptions.ApiUrlVariable, DjangoListenUrl(environment))!,
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

    /// <summary><c>http://DJANGO_HOST:DJANGO_PORT</c>; the host must be an IP address or <c>localhost</c>, as daphne binds it.</summary>
    private static string DjangoListenUrl(HubEnvironment environment)
    {
        var host = environment.Read(ListenerOptions.DjangoHostVariable) ?? ListenerOptions.DjangoDefaultHost;
        var portText = environment.Read(ListenerOptions.DjangoPortVariable) ?? ListenerOptions.DjangoDefaultPort;
        if (!int.TryParse(portText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw new ConfigurationContractException(ListenerOptions.DjangoPortVariable, $"{SettingText.Quote(portText)} is not a port number (expected 1-65535)");
        }

        var bare = host.Trim('[', ']');
        if (host != "localhost" && !System.Net.IPAddress.TryParse(bare, out _))
        {
            throw new ConfigurationContractException(ListenerOptions.DjangoHostVariable, $"{SettingText.Quote(host)} is not an IP address or 'localhost' (or set LXA_HUB_API_URL)");
        }

        var hostPart = bare.Contains(':', StringComparison.Ordinal) ? $"[{bare}]" : bare;
        return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"http://{hostPart}:{port}");
    }
}
