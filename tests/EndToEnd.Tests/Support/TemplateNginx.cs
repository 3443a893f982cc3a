using LxAnnotate.TestSupport;

namespace LxAnnotate.EndToEnd.Tests.Support;

/// <summary>
/// Debian nginx running <c>deploy/nginx-lx-annotate.conf</c> in front of a <see cref="HubProcess"/> started in
/// proxy mode (<c>proxiedTransfer: true</c>, its trusted proxy 127.0.0.1): the HTTPS server for browsers,
/// REST and enrollment, and the node server that requires a node certificate and attests it to the hub.
/// </summary>
internal sealed record TemplateNginx(NginxProcess Process, int HttpsPort, int TransferPort)
{
    public static async Task<TemplateNginx> StartAsync(HubProcess hub, string directory, string attestationHeader, string attestationValue,
        IReadOnlyDictionary<string, string?>? extra = null, string? template = null)
    {
        ArgumentNullException.ThrowIfNull(hub);
        var httpsPort = FreePort.Next();
        var transferPort = FreePort.Next();
        Directory.CreateDirectory(directory);
        var (certificate, key) = TestPki.WritePem(hub.Pki.IssueServer(), directory, "nginx");
        var staticRoot = Path.Combine(directory, "static");
        Directory.CreateDirectory(staticRoot);
        await File.WriteAllTextAsync(Path.Combine(staticRoot, "hello.txt"), "static file\n");
        var variables = new Dictionary<string, string?>
        {
            ["NGINX_SERVER_NAME"] = "localhost",
            ["NGINX_HTTPS_LISTEN"] = $"127.0.0.1:{httpsPort}",
            ["NGINX_TRANSFER_LISTEN"] = $"127.0.0.1:{transferPort}",
            ["NGINX_TLS_CERT_FILE"] = certificate,
            ["NGINX_TLS_KEY_FILE"] = key,
            ["LXA_HUB_NODE_CA_FILE"] = hub.Pki.WriteCaPem(directory),
            ["NGINX_HUB_API_UPSTREAM"] = $"127.0.0.1:{hub.ApiPort}",
            ["NGINX_HUB_TRANSFER_UPSTREAM"] = $"127.0.0.1:{hub.TransferPort}",
            ["LX_ANNOTATE_ENCRYPTED_DATA_DIR"] = hub.Root.Path,
            ["NGINX_STATIC_ROOT"] = staticRoot,
            ["ENDOREG_HUB_TRANSFER_MTLS_META_KEY"] = attestationHeader,
            ["ENDOREG_HUB_TRANSFER_MTLS_META_VALUE"] = attestationValue,
        };
        foreach (var (name, value) in extra ?? new Dictionary<string, string?>())
        {
            variables[name] = value;
        }

        var process = await NginxProcess.StartAsync(Path.Combine(directory, "nginx"), variables, [httpsPort, transferPort], template)
            .WaitAsync(TimeSpan.FromSeconds(60));
        return new TemplateNginx(process, httpsPort, transferPort);
    }
}
