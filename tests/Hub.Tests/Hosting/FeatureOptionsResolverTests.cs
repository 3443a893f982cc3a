using LxAnnotate.Hub.Tests.Support;
using LxAnnotate.Shared.Configuration;
using LxAnnotate.TestSupport;

namespace LxAnnotate.Hub.Tests.Hosting;

public sealed class FeatureOptionsResolverTests : IDisposable
{
    private readonly TempDirectory root = new();
    private readonly string pemFile;

    public FeatureOptionsResolverTests()
    {
        pemFile = root.Combine("any.pem");
        File.WriteAllText(pemFile, "placeholder");
    }

    public void Dispose() => root.Dispose();

    [Fact]
    public void Resolve_StandaloneDefaults_ApiOnlyTransferOffSocketUnderRun()
    {
        var settings = Resolve(new() { ["LXA_HUB_API_URL"] = "http://127.0.0.1:8000" });

        Assert.Null(settings.Listeners.TransferUrl);
        Assert.Equal(Path.Combine(root.Path, "run", "hub.sock"), settings.Listeners.LocalSocketPath);
        Assert.False(settings.Authentication.EnforceAuth);
        Assert.Equal(1024L * 1024 * 1024, settings.Upload.MaxBytes);
        Assert.Equal(50L * 1024 * 1024 * 1024, settings.Transfer.MaxArtifactBytes);
    }

    [Theory]
    [InlineData("ENDOREG_HUB_TRANSFER_REQUIRE_MTLS", "false", "ENDOREG_HUB_TRANSFER_REQUIRE_MTLS: central_hub refuses to start without mutual TLS")]
    [InlineData("LXA_HUB_TRANSFER_URL", "http://127.0.0.1:9000", "LXA_HUB_TRANSFER_URL: an http:// transfer listener needs a TLS-terminating proxy")]
    [InlineData("OIDC_ISSUER", "", "OIDC_ISSUER: OIDC needs both OIDC_ISSUER and OIDC_AUDIENCE")]
    [InlineData("LXA_HUB_NODE_CA_FILE", "", "LXA_HUB_NODE_CA_FILE: the transfer listener needs the node CA certificate")]
    [InlineData("LXA_HUB_UPLOAD_MAX_BYTES", "1GB", "LXA_HUB_UPLOAD_MAX_BYTES: must be a positive whole number")]
    [InlineData("LXA_HUB_API_URL", "ftp://x:1", "LXA_HUB_API_URL: must be an http:// or https:// URL")]
    [InlineData("LXA_LOG_FORMAT", "xml", "LXA_LOG_FORMAT: must be 'text' or 'json'")]
    public void Resolve_CentralHubMisconfigured_FailsNamingTheVariable(string variable, string value, string expected)
    {
        var environment = CentralHub();
        environment[variable] = value;

        var ex = Assert.Throws<ConfigurationContractException>(() => Resolve(environment, DeploymentRole.CentralHub));

        Assert.StartsWith(expected, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void Resolve_CentralHubComplete_RequiresAuthAndMtls()
    {
        var settings = Resolve(CentralHub(), DeploymentRole.CentralHub);

        Assert.True(settings.Authentication.EnforceAuth);
        Assert.True(settings.NodeCertificates.RequireMtls);
        Assert.Equal(new Uri("https://0.0.0.0:8444"), settings.Listeners.TransferUrl);
        Assert.Equal("center_keys", settings.Authentication.Oidc!.CenterClaim);
    }

    [Fact]
    public void Resolve_MediaAccelRedirect_OnForCentralHubOffForStandaloneByDefault()
    {
        Assert.True(Resolve(CentralHub(), DeploymentRole.CentralHub).Media.AccelRedirect);
        Assert.False(Resolve(new() { ["LXA_HUB_API_URL"] = "http://127.0.0.1:8000" }).Media.AccelRedirect);
        Assert.True(Resolve(new() { ["LXA_HUB_API_URL"] = "http://127.0.0.1:8000", ["LX_ANNOTATE_MEDIA_ACCEL_REDIRECT"] = "true" }).Media.AccelRedirect);

        var central = CentralHub();
        central["LX_ANNOTATE_MEDIA_ACCEL_REDIRECT"] = "false";
        Assert.False(Resolve(central, DeploymentRole.CentralHub).Media.AccelRedirect);
    }

    [Fact]
    public void Resolve_MediaAccelRedirectNotABoolean_FailsNamingTheVariable()
    {
        var ex = Assert.Throws<ConfigurationContractException>(() => Resolve(new() { ["LXA_HUB_API_URL"] = "http://127.0.0.1:8000", ["LX_ANNOTATE_MEDIA_ACCEL_REDIRECT"] = "nginx" }));

        Assert.Equal("LX_ANNOTATE_MEDIA_ACCEL_REDIRECT: must be true/false (or 1/0)", ex.Message);
    }

    [Fact]
    public void Resolve_CentralHubWithoutOidc_FailsNamingEnforceAuth()
    {
        var environment = CentralHub();
        environment.Remove("OIDC_ISSUER");
        environment.Remove("OIDC_AUDIENCE");
        environment.Remove("OIDC_JWKS_FILE");

        var ex = Assert.Throws<ConfigurationContractException>(() => Resolve(environment, DeploymentRole.CentralHub));

        Assert.StartsWith("ENFORCE_AUTH: central_hub requires authentication, but OIDC is not configured", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_EnforceAuthWithoutOidcInStandalone_Fails()
    {
        var ex = Assert.Throws<ConfigurationContractException>(() => Resolve(new() { ["LXA_HUB_API_URL"] = "http://127.0.0.1:8000", ["ENFORCE_AUTH"] = "1" }));

        Assert.StartsWith("ENFORCE_AUTH: ENFORCE_AUTH=1 but OIDC is not configured", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_OnlyOneAttestationVariable_Fails()
    {
        var environment = CentralHub();
        environment["ENDOREG_HUB_TRANSFER_MTLS_META_KEY"] = "X-Verified";

        var ex = Assert.Throws<ConfigurationContractException>(() => Resolve(environment, DeploymentRole.CentralHub));

        Assert.Equal("ENDOREG_HUB_TRANSFER_MTLS_META_VALUE", ex.VariableName);
    }

    [Fact]
    public void Resolve_NodeCaKeyMatchingCa_SignsWithDefaultDays()
    {
        using var pki = new TestPki();
        var environment = CentralHub();
        environment["LXA_HUB_NODE_CA_FILE"] = pki.WriteCaPem(root.Path);
        environment["LXA_HUB_NODE_CA_KEY_FILE"] = pki.WriteCaKeyPem(root.Path);

        var settings = Resolve(environment, DeploymentRole.CentralHub);

        Assert.Equal(environment["LXA_HUB_NODE_CA_KEY_FILE"], settings.NodeCertificates.NodeCaKeyFile);
        Assert.Equal(365, settings.NodeCertificates.NodeCertificateDays);
    }

    [Fact]
    public void Resolve_NodeCaKeyProblems_OneLineNamingTheVariableWithoutKeyMaterial()
    {
        using var pki = new TestPki();
        using var other = new TestPki("Another CA");
        var otherDir = root.Combine("other");
        Directory.CreateDirectory(otherDir);
        var environment = CentralHub();
        environment["LXA_HUB_NODE_CA_FILE"] = pki.WriteCaPem(root.Path);
        environment["LXA_HUB_NODE_CA_KEY_FILE"] = other.WriteCaKeyPem(otherDir);

        var mismatch = Assert.Throws<ConfigurationContractException>(() => Resolve(environment, DeploymentRole.CentralHub));
        environment["LXA_HUB_NODE_CA_KEY_FILE"] = pki.WriteCaKeyPem(root.Path);
        environment["LXA_HUB_NODE_CERT_DAYS"] = "0";
        var days = Assert.Throws<ConfigurationContractException>(() => Resolve(environment, DeploymentRole.CentralHub));

        Assert.StartsWith("LXA_HUB_NODE_CA_KEY_FILE: ", mismatch.Message, StringComparison.Ordinal);
        Assert.Contains("matching the certificate in LXA_HUB_NODE_CA_FILE", mismatch.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE", mismatch.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', mismatch.Message);
        Assert.StartsWith("LXA_HUB_NODE_CERT_DAYS: must be a positive whole number", days.Message, StringComparison.Ordinal);
    }

    private Dictionary<string, string?> CentralHub() => new()
    {
        ["LXA_HUB_TLS_CERT_FILE"] = pemFile,
        ["LXA_HUB_TLS_KEY_FILE"] = pemFile,
        ["LXA_HUB_NODE_CA_FILE"] = pemFile,
        ["OIDC_ISSUER"] = "https://idp.test/realms/lx",
        ["OIDC_AUDIENCE"] = "lx-annotate",
        ["OIDC_JWKS_FILE"] = pemFile,
    };

    private ResolvedFeatureOptions Resolve(Dictionary<string, string?> environment, DeploymentRole role = DeploymentRole.Standalone)
    {
        var runtime = RuntimeSettingsResolver.Resolve(name => name switch
        {
            "LX_ANNOTATE_ENCRYPTED_DATA_DIR" => root.Path,
            "ENDOREG_DEPLOYMENT_ROLE" => role.ToWireName(),
            "DATABASE_URL" => role == DeploymentRole.CentralHub ? "postgres://u@127.0.0.1:5432/db" : null,
            _ => null,
        });
        // These tests are about other features; the ENFORCE_AUTH default (on) has its own tests in PythonEnvListenerAndAuthTests.
        if (role == DeploymentRole.Standalone && !environment.ContainsKey("ENFORCE_AUTH"))
        {
            environment["ENFORCE_AUTH"] = "0";
        }

        return ResolvedFeatureOptions.Resolve(name => environment.GetValueOrDefault(name), runtime);
    }
}
