using System.Net;
using LxAnnotate.Hub.Authentication;
using LxAnnotate.Hub.Tests.Support;
using LxAnnotate.Shared.Configuration;
using LxAnnotate.TestSupport;

namespace LxAnnotate.Hub.Tests.Authentication;

/// <summary>
/// <c>ENDOREG_HUB_TRANSFER_MTLS_META_KEY</c> as the original's env files give it: Django's <c>request.META</c> key
/// (<c>HTTP_X_CLIENT_CERT_VERIFIED</c> is the header <c>X-Client-Cert-Verified</c>), or a header name.
/// </summary>
public sealed class ProxyHeaderNameTests : IDisposable
{
    private readonly TempDirectory root = new();

    public void Dispose() => root.Dispose();

    [Theory]
    [InlineData("HTTP_X_CLIENT_CERT_VERIFIED", "X-Client-Cert-Verified")]
    [InlineData("http_x_ssl_client_verify", "X-Ssl-Client-Verify")]
    [InlineData(" HTTP_X_VERIFIED ", "X-Verified")]
    [InlineData("X-Lxa-Proxy-Attestation", "X-Lxa-Proxy-Attestation")]
    [InlineData("HTTP_X-ALREADY-A-NAME", "HTTP_X-ALREADY-A-NAME")]
    [InlineData("HTTP_", "HTTP_")]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void FromSetting_MetaKeyOrHeaderName_IsTheHeaderName(string? value, string? expected)
    {
        Assert.Equal(expected, ProxyHeaderName.FromSetting(value));
    }

    [Fact]
    public void Resolve_OriginalEnvValues_AttestationHeaderFromLoopbackProxies()
    {
        // The original's env file: the META form, SUCCESS, and no LXA_HUB_TRUSTED_PROXIES (the original has none).
        var options = Resolve(new()
        {
            ["ENDOREG_HUB_TRANSFER_MTLS_META_KEY"] = "HTTP_X_CLIENT_CERT_VERIFIED",
            ["ENDOREG_HUB_TRANSFER_MTLS_META_VALUE"] = "SUCCESS",
        });

        Assert.Equal("X-Client-Cert-Verified", options.MtlsMetaKey);
        Assert.Equal("SUCCESS", options.MtlsMetaValue);
        Assert.Equal([IPAddress.Loopback, IPAddress.IPv6Loopback], options.TrustedProxies);
    }

    [Fact]
    public void Resolve_TrustedProxiesNamed_OnlyThose()
    {
        var options = Resolve(new()
        {
            ["ENDOREG_HUB_TRANSFER_MTLS_META_KEY"] = "HTTP_X_CLIENT_CERT_VERIFIED",
            ["ENDOREG_HUB_TRANSFER_MTLS_META_VALUE"] = "SUCCESS",
            ["LXA_HUB_TRUSTED_PROXIES"] = "10.0.0.5",
        });

        Assert.Equal([IPAddress.Parse("10.0.0.5")], options.TrustedProxies);
    }

    [Fact]
    public void Resolve_NoAttestation_TrustsNoProxy()
    {
        Assert.Empty(Resolve([]).TrustedProxies);
    }

    private NodeCertificateOptions Resolve(Dictionary<string, string?> environment)
    {
        environment["LXA_HUB_API_URL"] = "http://127.0.0.1:8000";
        environment["ENFORCE_AUTH"] = "0";
        var runtime = RuntimeSettingsResolver.Resolve(name => name switch
        {
            "LX_ANNOTATE_ENCRYPTED_DATA_DIR" => root.Path,
            _ => null,
        });
        return ResolvedFeatureOptions.Resolve(name => environment.GetValueOrDefault(name), runtime).NodeCertificates;
    }
}
