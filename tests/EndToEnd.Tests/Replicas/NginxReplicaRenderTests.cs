using System.Text.RegularExpressions;
using LxAnnotate.TestSupport;

namespace LxAnnotate.EndToEnd.Tests.Replicas;

/// <summary><c>deploy/render-nginx-conf.sh</c> with several replicas: upstream lists, their refusals, the stream template.</summary>
public sealed class NginxReplicaRenderTests
{
    private static readonly string Renderer = Path.Combine(Binaries.RepositoryRoot, "deploy", "render-nginx-conf.sh");
    private static readonly string StreamTemplate = Path.Combine(Binaries.RepositoryRoot, "deploy", "nginx-lx-annotate-stream.conf");

    [Fact]
    public async Task Render_UpstreamLists_OneServerLinePerReplicaWithPassiveChecksAndNextUpstream()
    {
        var variables = NginxConfigRenderTests.Complete();
        variables["NGINX_HUB_API_UPSTREAM"] = "10.0.0.11:8080,10.0.0.12:8080,[fd00::13]:8080";
        variables["NGINX_HUB_TRANSFER_UPSTREAM"] = "hub-a.internal:8081,hub-b.internal:8081";

        var result = await RenderAsync(variables);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            ["10.0.0.11:8080", "10.0.0.12:8080", "[fd00::13]:8080"],
            Servers(Upstream(result.StandardOutput, "lxa_hub_api")));
        Assert.Equal(["hub-a.internal:8081", "hub-b.internal:8081"], Servers(Upstream(result.StandardOutput, "lxa_hub_transfer")));
        Assert.All(ServerLines(result.StandardOutput), l => Assert.EndsWith(" max_fails=1 fail_timeout=10s;", l, StringComparison.Ordinal));

        // Both servers skip a replica that refuses or does not answer, for REST and for gRPC.
        Assert.Equal(2, Regex.Count(result.StandardOutput, @"(?m)^\s*proxy_next_upstream error timeout;"));
        Assert.Equal(2, Regex.Count(result.StandardOutput, @"(?m)^\s*grpc_next_upstream error timeout;"));
        Assert.DoesNotContain("non_idempotent", Regex.Replace(result.StandardOutput, @"(?m)#.*$", ""), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_OneValue_OneServerLineAsBefore()
    {
        var result = await RenderAsync(NginxConfigRenderTests.Complete());

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["127.0.0.1:8080"], Servers(Upstream(result.StandardOutput, "lxa_hub_api")));
        Assert.Equal(["127.0.0.1:8081"], Servers(Upstream(result.StandardOutput, "lxa_hub_transfer")));
    }

    [Theory]
    [InlineData("127.0.0.1:8080,,127.0.0.1:8090", "render-nginx-conf: NGINX_HUB_API_UPSTREAM has an empty entry")]
    [InlineData("127.0.0.1:8080,", "render-nginx-conf: NGINX_HUB_API_UPSTREAM has an empty entry")]
    [InlineData("127.0.0.1:8080,secret-host", "render-nginx-conf: NGINX_HUB_API_UPSTREAM entry 2 is not host:port")]
    [InlineData("secret-host:70000", "render-nginx-conf: NGINX_HUB_API_UPSTREAM entry 1 is not host:port")]
    [InlineData("unix:/run/secret.sock", "render-nginx-conf: NGINX_HUB_API_UPSTREAM entry 1 is not host:port")]
    [InlineData("secret-host:8080,secret-host:8080", "render-nginx-conf: NGINX_HUB_API_UPSTREAM names entry 2 twice")]
    public async Task Render_BadUpstreamEntry_RefusedNamingItsPositionNotItsValue(string value, string message)
    {
        var variables = NginxConfigRenderTests.Complete();
        variables["NGINX_HUB_API_UPSTREAM"] = value;

        var result = await RenderAsync(variables);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(message, Assert.Single(result.ErrorLines));
        Assert.DoesNotContain("secret", result.StandardError, StringComparison.Ordinal);
        Assert.Empty(result.StandardOutput);
    }

    [Fact]
    public async Task Render_ListEntryThatWouldChangeTheConfig_RefusedAsAnyValue()
    {
        var variables = NginxConfigRenderTests.Complete();
        variables["NGINX_HUB_TRANSFER_UPSTREAM"] = "127.0.0.1:8081,127.0.0.1:8091; server evil:1";

        var result = await RenderAsync(variables);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("render-nginx-conf: NGINX_HUB_TRANSFER_UPSTREAM contains", Assert.Single(result.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_ListForATemplateThatTakesOneAddress_Refused()
    {
        var variables = NginxConfigRenderTests.Complete();
        variables["NGINX_HUB_API_UPSTREAM"] = "127.0.0.1:8080,127.0.0.1:8090";
        var template = Path.Combine(Binaries.RepositoryRoot, "tests", "EndToEnd.Tests", "nginx", "original-hub-nginx.conf");

        var result = await ProcessRunner.RunAsync("bash", [Renderer, template], variables, TimeSpan.FromSeconds(30));

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("render-nginx-conf: NGINX_HUB_API_UPSTREAM is a list; this template takes one host:port", Assert.Single(result.ErrorLines));
    }

    [Fact]
    public async Task RenderStream_OnlyItsVariables_PassesTlsThroughToEveryReplica()
    {
        var variables = new Dictionary<string, string?>
        {
            ["NGINX_TRANSFER_LISTEN"] = "8444",
            ["NGINX_HUB_TRANSFER_UPSTREAM"] = "10.0.0.11:8445,10.0.0.12:8445",
        };

        var result = await ProcessRunner.RunAsync("bash", [Renderer, StreamTemplate], variables, TimeSpan.FromSeconds(30));

        Assert.True(result.ExitCode == 0, result.StandardError);
        var rendered = Regex.Replace(result.StandardOutput, @"(?m)#.*$", "");
        Assert.DoesNotContain("@@", rendered, StringComparison.Ordinal);
        Assert.Equal(["10.0.0.11:8445", "10.0.0.12:8445"], Servers(Upstream(rendered, "lxa_hub_transfer_tls")));
        Assert.Contains("ssl_preread on;", rendered, StringComparison.Ordinal);
        Assert.Contains("proxy_next_upstream on;", rendered, StringComparison.Ordinal);
        Assert.Contains("access_log /var/log/nginx/lx-annotate-stream.log lxa_stream;", rendered, StringComparison.Ordinal);

        // nginx holds no key in this mode: TLS ends at the replicas.
        Assert.DoesNotContain("ssl_certificate", rendered, StringComparison.Ordinal);
        Assert.DoesNotContain("proxy_ssl", rendered, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RenderStream_MissingUpstream_ExitsTwoNamingIt()
    {
        var result = await ProcessRunner.RunAsync("bash", [Renderer, StreamTemplate], new Dictionary<string, string?>(), TimeSpan.FromSeconds(30));

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("render-nginx-conf: NGINX_HUB_TRANSFER_UPSTREAM is required", Assert.Single(result.ErrorLines));
    }

    private static string Upstream(string rendered, string name) =>
        Regex.Match(rendered, $@"upstream {name} \{{(?<body>[^}}]*)\}}").Groups["body"].Value;

    private static List<string> ServerLines(string rendered) =>
        Regex.Matches(rendered, @"(?m)^\s*server [^;]*;").Select(m => m.Value.Trim()).Where(l => !l.StartsWith("server {", StringComparison.Ordinal)).ToList();

    private static List<string> Servers(string upstreamBody) =>
        Regex.Matches(upstreamBody, @"(?m)^\s*server (\S+)").Select(m => m.Groups[1].Value).ToList();

    private static Task<ProcessResult> RenderAsync(Dictionary<string, string?> variables) =>
        ProcessRunner.RunAsync("bash", [Renderer], variables, TimeSpan.FromSeconds(30));
}
