using LxAnnotate.EndToEnd.Tests.Support;

namespace LxAnnotate.EndToEnd.Tests.OperatorConsole;

/// <summary>
/// Behind nginx the API listener is plain http: only a trusted proxy's <c>X-Forwarded-Proto: https</c> makes a console
/// request https, which the Secure cookies and the antiforgery check need.
/// </summary>
public sealed class ConsoleBehindProxyTests
{
    [Fact]
    public async Task Console_HttpListener_RefusedUnlessTheTrustedProxySaysHttps()
    {
        await using var hub = await HubProcess.StartAsync(new Dictionary<string, string?>
        {
            ["LXA_HUB_TRUSTED_PROXIES"] = "127.0.0.1",
            ["OIDC_ISSUER"] = "http://127.0.0.1:9",
            ["LXA_HUB_CONSOLE_OIDC_CLIENT_ID"] = "lxa-console",
        });
        using var http = hub.HttpClient();
        var page = new Uri(hub.ApiUrl, "/console/signed-out");
        Assert.Equal("http", hub.ApiUrl.Scheme);

        using var direct = await http.GetAsync(page);
        using var proxied = new HttpRequestMessage(HttpMethod.Get, page);
        proxied.Headers.Add("X-Forwarded-Proto", "https");
        using var viaProxy = await http.SendAsync(proxied);

        // Plain http straight to the hub: refused, with the reason.
        Assert.Equal(400, (int)direct.StatusCode);
        Assert.Contains("https only", await direct.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(200, (int)viaProxy.StatusCode);
        var cookie = Assert.Single(viaProxy.Headers.GetValues("Set-Cookie"), c => c.StartsWith("__Host-lxa-console-af=", StringComparison.Ordinal));
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("frame-ancestors 'none'", viaProxy.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }
}
