using LxAnnotate.Hub.Tests.Support;
using LxAnnotate.Shared.Configuration;
using LxAnnotate.TestSupport;

namespace LxAnnotate.Hub.Tests.Hosting;

/// <summary>
/// Where the API listens and whether it needs a token when only the original's env file is given: plain HTTP on
/// <c>DJANGO_HOST</c>:<c>DJANGO_PORT</c>, and ENFORCE_AUTH on unless the original's development settings are named.
/// </summary>
public sealed class PythonEnvListenerAndAuthTests : IDisposable
{
    private readonly TempDirectory root = new();

    public void Dispose() => root.Dispose();

    [Fact]
    public void Resolve_NoApiUrlNoDjangoHost_ListensWhereDaphneDid()
    {
        Assert.Equal(new Uri("http://127.0.0.1:8000"), Resolve(new() { ["ENFORCE_AUTH"] = "0" }).Listeners.ApiUrl);
    }

    [Theory]
    [InlineData("127.0.0.1", "8000", "http://127.0.0.1:8000/")]
    [InlineData("0.0.0.0", "9001", "http://0.0.0.0:9001/")]
    [InlineData("::1", "8000", "http://[::1]:8000/")]
    [InlineData("[::1]", "8000", "http://[::1]:8000/")]
    [InlineData("localhost", "8080", "http://localhost:8080/")]
    public void Resolve_DjangoHostAndPort_BecomeThePlainHttpApiListener(string host, string port, string expected)
    {
        var settings = Resolve(new() { ["ENFORCE_AUTH"] = "0", ["DJANGO_HOST"] = host, ["DJANGO_PORT"] = port });

        Assert.Equal(expected, settings.Listeners.ApiUrl.AbsoluteUri);
    }

    [Fact]
    public void Resolve_ApiUrlSet_WinsOverDjangoHostAndPort()
    {
        var settings = Resolve(new()
        {
            ["ENFORCE_AUTH"] = "0",
            ["LXA_HUB_API_URL"] = "http://127.0.0.1:8080",
            ["DJANGO_HOST"] = "0.0.0.0",
            ["DJANGO_PORT"] = "9000",
        });

        Assert.Equal(new Uri("http://127.0.0.1:8080"), settings.Listeners.ApiUrl);
    }

    [Theory]
    [InlineData("DJANGO_PORT", "eighty", "DJANGO_PORT: 'eighty' is not a port number")]
    [InlineData("DJANGO_PORT", "70000", "DJANGO_PORT: '70000' is not a port number")]
    [InlineData("DJANGO_HOST", "hub.example.org", "DJANGO_HOST: 'hub.example.org' is not an IP address or 'localhost'")]
    public void Resolve_BadDjangoListenValue_FailsNamingTheVariable(string variable, string value, string expected)
    {
        var ex = Assert.Throws<ConfigurationContractException>(() => Resolve(new() { ["ENFORCE_AUTH"] = "0", [variable] = value }));

        Assert.StartsWith(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_StandaloneEnforceAuthUnset_IsOnAndNeedsOidc()
    {
        var ex = Assert.Throws<ConfigurationContractException>(() => Resolve([]));

        Assert.Equal("ENFORCE_AUTH", ex.VariableName);
        Assert.Contains("unset means on", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ENFORCE_AUTH=0", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_StandaloneEnforceAuthUnsetWithOidc_RequiresTokens()
    {
        var jwks = root.Combine("jwks.json");
        File.WriteAllText(jwks, "{}");
        var settings = Resolve(new() { ["OIDC_ISSUER"] = "https://idp.test/realms/lx", ["OIDC_AUDIENCE"] = "lx", ["OIDC_JWKS_FILE"] = jwks });

        Assert.True(settings.Authentication.EnforceAuth);
        Assert.True(settings.Authentication.EnforceAuthByDefault);
    }

    [Theory]
    [InlineData("lx_annotate.settings.settings_dev", false)]
    [InlineData("lx_annotate.settings.settings_prod", true)]
    public void Resolve_EnforceAuthUnset_DefaultFollowsTheOriginalsSettingsModule(string module, bool enforced)
    {
        var jwks = root.Combine("jwks.json");
        File.WriteAllText(jwks, "{}");
        var settings = Resolve(new()
        {
            ["DJANGO_SETTINGS_MODULE"] = module,
            ["OIDC_ISSUER"] = "https://idp.test/realms/lx",
            ["OIDC_AUDIENCE"] = "lx",
            ["OIDC_JWKS_FILE"] = jwks,
        });

        Assert.Equal(enforced, settings.Authentication.EnforceAuth);
    }

    [Theory]
    [InlineData("0", false)]
    [InlineData("1", true)]
    public void Resolve_EnforceAuthSet_IsTaken(string value, bool enforced)
    {
        var jwks = root.Combine("jwks.json");
        File.WriteAllText(jwks, "{}");
        var settings = Resolve(new() { ["ENFORCE_AUTH"] = value, ["OIDC_ISSUER"] = "https://idp.test/realms/lx", ["OIDC_AUDIENCE"] = "lx", ["OIDC_JWKS_FILE"] = jwks });

        Assert.Equal(enforced, settings.Authentication.EnforceAuth);
        Assert.False(settings.Authentication.EnforceAuthByDefault);
    }

    private ResolvedFeatureOptions Resolve(Dictionary<string, string?> environment)
    {
        var runtime = RuntimeSettingsResolver.Resolve(name => name switch
        {
            "LX_ANNOTATE_ENCRYPTED_DATA_DIR" => root.Path,
            _ => null,
        });
        return ResolvedFeatureOptions.Resolve(name => environment.GetValueOrDefault(name), runtime);
    }
}
