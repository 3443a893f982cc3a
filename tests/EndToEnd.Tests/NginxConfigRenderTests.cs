using LxAnnotate.EndToEnd.Tests.Support;
using LxAnnotate.TestSupport;

namespace LxAnnotate.EndToEnd.Tests;

/// <summary><c>deploy/render-nginx-conf.sh</c>: every placeholder filled, or a refusal naming the variable.</summary>
public sealed class NginxConfigRenderTests
{
    private static readonly string Renderer = Path.Combine(Binaries.RepositoryRoot, "deploy", "render-nginx-conf.sh");

    [Fact]
    public async Task Render_AllVariables_NoPlaceholderLeftAndValuesInPlace()
    {
        var result = await RenderAsync(Complete());

        Assert.Equal(0, result.ExitCode);
        Assert.DoesNotContain("@@", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("alias /var/lib/lx-annotate/;", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("ssl_client_certificate /etc/lx-annotate/node-ca.pem;", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("grpc_set_header X-Lxa-Attest \"v4lue\";", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("proxy_set_header X-Accel-Redirect \"\";", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("client_max_body_size 1025m;", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_MissingVariable_ExitsTwoNamingIt()
    {
        var variables = Complete();
        variables["NGINX_SERVER_NAME"] = null;

        var result = await RenderAsync(variables);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("render-nginx-conf: NGINX_SERVER_NAME is required", Assert.Single(result.ErrorLines));
        Assert.Empty(result.StandardOutput);
    }

    [Theory]
    [InlineData("ENDOREG_HUB_TRANSFER_MTLS_META_VALUE", "a\"; return 200")]
    [InlineData("NGINX_STATIC_ROOT", "/srv/static; autoindex on")]
    [InlineData("NGINX_SERVER_NAME", "hub.example.org$host")]
    public async Task Render_ValueThatWouldChangeTheConfig_RefusedWithoutEchoingIt(string variable, string value)
    {
        var variables = Complete();
        variables[variable] = value;

        var result = await RenderAsync(variables);

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith($"render-nginx-conf: {variable} contains", line, StringComparison.Ordinal);
        Assert.DoesNotContain(value, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_RelativeProtectedRoot_Refused()
    {
        var variables = Complete();
        variables["LX_ANNOTATE_ENCRYPTED_DATA_DIR"] = "var/lib/lx-annotate";

        var result = await RenderAsync(variables);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("render-nginx-conf: LX_ANNOTATE_ENCRYPTED_DATA_DIR must be an absolute path", Assert.Single(result.ErrorLines));
    }

    private static Task<ProcessResult> RenderAsync(Dictionary<string, string?> variables) =>
        ProcessRunner.RunAsync("bash", [Renderer], variables, TimeSpan.FromSeconds(30));

    private static Dictionary<string, string?> Complete() => new()
    {
        ["NGINX_SERVER_NAME"] = "hub.example.org",
        ["NGINX_TLS_CERT_FILE"] = "/etc/lx-annotate/hub.crt",
        ["NGINX_TLS_KEY_FILE"] = "/etc/lx-annotate/hub.key",
        ["LXA_HUB_NODE_CA_FILE"] = "/etc/lx-annotate/node-ca.pem",
        ["NGINX_HUB_API_UPSTREAM"] = "127.0.0.1:8080",
        ["NGINX_HUB_TRANSFER_UPSTREAM"] = "127.0.0.1:8081",
        ["LX_ANNOTATE_ENCRYPTED_DATA_DIR"] = "/var/lib/lx-annotate",
        ["NGINX_STATIC_ROOT"] = "/srv/lx-annotate/static",
        ["ENDOREG_HUB_TRANSFER_MTLS_META_KEY"] = "X-Lxa-Attest",
        ["ENDOREG_HUB_TRANSFER_MTLS_META_VALUE"] = "v4lue",
    };
}
