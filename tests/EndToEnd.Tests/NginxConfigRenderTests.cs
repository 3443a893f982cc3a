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
    public async Task Render_OriginalDjangoMetaKey_SetAndClearedAsTheHeaderItNames()
    {
        // The original's env value: request.META["HTTP_X_CLIENT_CERT_VERIFIED"] is the header X-Client-Cert-Verified.
        var variables = Complete();
        variables["ENDOREG_HUB_TRANSFER_MTLS_META_KEY"] = "HTTP_X_CLIENT_CERT_VERIFIED";

        var result = await RenderAsync(variables);

        Assert.Equal(0, result.ExitCode);
        Assert.DoesNotContain("HTTP_X_CLIENT_CERT_VERIFIED", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("proxy_set_header X-CLIENT-CERT-VERIFIED \"\";", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("proxy_set_header X-CLIENT-CERT-VERIFIED \"v4lue\";", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_EveryHeaderTheHubTrusts_OverwrittenOrClearedInEveryLocation()
    {
        var result = await RenderAsync(Complete());

        // The hub believes X-Forwarded-Proto, the forwarded certificate and the attestation from its proxy: every
        // location that passes requests to it sets each of them (to the verified value, or empty, which drops a
        // client's). A location that left one out would pass what the client sent.
        Assert.Equal(0, result.ExitCode);
        var directives = System.Text.RegularExpressions.Regex.Replace(result.StandardOutput, @"(?m)^\s*#.*$", "");
        var parts = System.Text.RegularExpressions.Regex.Split(directives, @"(?m)^\s*location ");
        var locations = parts.Skip(1)
            .Where(l => l.Contains("proxy_pass", StringComparison.Ordinal) || l.Contains("grpc_pass", StringComparison.Ordinal))
            .ToList();
        Assert.Equal(6, locations.Count);
        var server = parts[0];
        foreach (var location in locations)
        {
            var directive = location.Contains("grpc_pass", StringComparison.Ordinal) ? "grpc_set_header" : "proxy_set_header";

            // proxy_set_header lines of the enclosing server apply to a location that sets none of its own.
            var scope = location.Contains(directive, StringComparison.Ordinal) ? location : server + location;
            foreach (var header in new[] { "X-Forwarded-Proto", "X-SSL-Client-Cert", "X-Lxa-Attest" })
            {
                Assert.Contains($"{directive} {header} ", scope, StringComparison.Ordinal);
            }
        }
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

    /// <summary>Every variable the deploy template needs (shared with the replica render tests).</summary>
    internal static Dictionary<string, string?> Complete() => new()
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
