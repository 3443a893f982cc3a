using System.Net;
using System.Security.Cryptography;
using LxAnnotate.Hub.Authentication;
using LxAnnotate.Hub.Tests.Support;
using LxAnnotate.Hub.Tests.Upload;
using LxAnnotate.TestSupport;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Protocols;

namespace LxAnnotate.Hub.Tests.Authentication;

/// <summary>
/// <c>OIDC_JWKS_URL</c>: keys come through a configuration manager, as in production; only the HTTPS fetch is
/// replaced by reading the same document from a file (the tests reach no network).
/// </summary>
public sealed class JwksUrlAuthenticationTests
{
    [Fact]
    public async Task Upload_TokenVerifiedWithKeysFromJwksUrl_Returns201()
    {
        using var dir = new TempDirectory();
        await using var hub = await StartAsync(dir.Combine("jwks.json"));
        hub.Tokens.WriteJwks(dir.Combine("jwks.json"));
        await hub.AddCentersAsync("clinic");

        using var response = await hub.UploadAsync(UploadContent.Form(UploadContent.Pdf()), hub.Tokens.Create("alice", ["clinic"]));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Upload_TokenSignedByKeyNotInJwksUrl_Returns403()
    {
        using var dir = new TempDirectory();
        await using var hub = await StartAsync(dir.Combine("jwks.json"));
        hub.Tokens.WriteJwks(dir.Combine("jwks.json"));
        await hub.AddCentersAsync("clinic");
        using var otherKey = RSA.Create(2048);

        using var response = await hub.UploadAsync(UploadContent.Form(UploadContent.Pdf()), hub.Tokens.Create("alice", ["clinic"], signWith: otherKey));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(hub.StoredFiles());
    }

    [Fact]
    public async Task Build_WithJwksUrl_UsesHttpsOnlyConfigurationManager()
    {
        await using var hub = await HubTestHost.StandaloneAsync(oidc: false, Settings());

        var options = hub.Services.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<JwtBearerOptions>>()
            .Get(JwtBearerDefaults.AuthenticationScheme);

        var manager = Assert.IsType<ConfigurationManager<OpenIdConnectConfiguration>>(options.ConfigurationManager);
        Assert.Equal(ApiAuthentication.KeyRefreshInterval, manager.AutomaticRefreshInterval);
        Assert.Empty(options.TokenValidationParameters.IssuerSigningKeys ?? []);
    }

    /// <param name="jwksPath">Where the "provider" publishes its key set; read on first use, so it may be written after start.</param>
    private static Task<HubTestHost> StartAsync(string jwksPath) =>
        HubTestHost.StandaloneAsync(oidc: false, Settings(), builder =>
            builder.Services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, o =>
                o.ConfigurationManager = new ConfigurationManager<OpenIdConnectConfiguration>(
                    "https://idp.test/protocol/openid-connect/certs", new JwksConfigurationRetriever(), new JwksFileRetriever(jwksPath))));

    private static Dictionary<string, string?> Settings() => new()
    {
        ["LX_ANNOTATE_DEFAULT_CENTER"] = "clinic",
        ["OIDC_ISSUER"] = TestTokenIssuer.Issuer,
        ["OIDC_AUDIENCE"] = TestTokenIssuer.Audience,
        ["OIDC_JWKS_URL"] = "https://idp.test/protocol/openid-connect/certs",
    };
}
