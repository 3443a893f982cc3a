using LxAnnotate.Hub.Authentication;
using LxAnnotate.Hub.Hosting;
using LxAnnotate.Hub.Tests.Support;
using LxAnnotate.Hub.Tests.Upload;
using LxAnnotate.Shared.Configuration;
using LxAnnotate.TestSupport;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;

namespace LxAnnotate.Hub.Tests.Authentication;

public sealed class ApiAuthenticationTests
{
    [Theory]
    [InlineData("not json at all")]
    [InlineData("{\"keys\": []}")]
    [InlineData("{\"keys\": [{\"kty\": \"oct\", \"k\": \"c2VjcmV0\"}]}")]
    public void Build_BadJwksFile_ThrowsNamingOidcJwksFile(string content)
    {
        using var root = new TempDirectory();
        var jwks = root.Combine("jwks.json");
        File.WriteAllText(jwks, content);

        var ex = Assert.Throws<ConfigurationContractException>(() => HubServer.Build(StandaloneSettings(root, jwks)));

        Assert.Equal("OIDC_JWKS_FILE", ex.VariableName);
        Assert.DoesNotContain(content, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Build_WithOidc_JwtIsDefaultAndCertificateSchemeStays()
    {
        using var root = new TempDirectory();
        using var issuer = new TestTokenIssuer();
        var jwks = root.Combine("jwks.json");
        issuer.WriteJwks(jwks);
        var ca = root.Combine("ca.pem");
        WriteCa(ca);
        var settings = StandaloneSettings(root, jwks);
        settings["LXA_HUB_NODE_CA_FILE"] = ca;

        await using var app = HubServer.Build(settings);

        var schemes = app.Services.GetRequiredService<IAuthenticationSchemeProvider>();
        Assert.Equal(JwtBearerDefaults.AuthenticationScheme, (await schemes.GetDefaultAuthenticateSchemeAsync().WaitAsync(HubTestHost.Timeout))?.Name);
        Assert.NotNull(await schemes.GetSchemeAsync("Certificate").WaitAsync(HubTestHost.Timeout));
        var options = app.Services.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>().Get(JwtBearerDefaults.AuthenticationScheme);
        Assert.False(options.MapInboundClaims);
        Assert.True(options.TokenValidationParameters.ValidateLifetime);
        Assert.Equal(TestTokenIssuer.Issuer, options.TokenValidationParameters.ValidIssuer);
        Assert.Single(options.TokenValidationParameters.IssuerSigningKeys);
    }

    [Fact]
    public async Task GetConfigurationAsync_JwksDocument_ReturnsSigningKeys()
    {
        using var root = new TempDirectory();
        using var issuer = new TestTokenIssuer();
        var jwks = root.Combine("jwks.json");
        issuer.WriteJwks(jwks);

        var configuration = await new JwksConfigurationRetriever()
            .GetConfigurationAsync("https://idp.test/jwks", new JwksFileRetriever(jwks), CancellationToken.None)
            .WaitAsync(HubTestHost.Timeout);

        Assert.Equal(TestTokenIssuer.KeyId, Assert.Single(configuration.SigningKeys).KeyId);
    }

    private static Dictionary<string, string?> StandaloneSettings(TempDirectory root, string jwks) => new()
    {
        ["ENDOREG_DEPLOYMENT_ROLE"] = "standalone",
        ["LX_ANNOTATE_ENCRYPTED_DATA_DIR"] = root.Path,
        ["LXA_HUB_API_URL"] = "http://127.0.0.1:0",
        ["LXA_HUB_TRANSFER_URL"] = "off",
        ["LXA_HUB_LOCAL_SOCKET"] = "off",
        ["OIDC_ISSUER"] = TestTokenIssuer.Issuer,
        ["OIDC_AUDIENCE"] = TestTokenIssuer.Audience,
        ["OIDC_JWKS_FILE"] = jwks,
    };

    private static void WriteCa(string path)
    {
        using var key = System.Security.Cryptography.RSA.Create(2048);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest(
            "CN=test CA", key, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllText(path, certificate.ExportCertificatePem());
    }
}
