using LxAnnotate.TestSupport;

namespace LxAnnotate.EndToEnd.Tests.Support;

/// <summary>
/// One real <c>lxa-hub</c> (central_hub, proxy mode: plain-HTTP transfer listener, trusted proxy 127.0.0.1,
/// attestation header) with Debian's nginx in front, rendered from <c>deploy/nginx-lx-annotate.conf</c>;
/// shared by the tests of a class because starting both takes seconds.
/// </summary>
public sealed class NginxHubFixture : IAsyncLifetime, IDisposable
{
    public const string Issuer = "https://idp.test/realms/lx";
    public const string Audience = "lx-annotate";
    public const string AttestationHeader = "X-Lxa-Proxy-Attestation";

    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly TempDirectory work = new();
    private readonly TestJwks jwks = new();

    internal HubProcess Hub { get; private set; } = null!;

    /// <summary>Registered for node <c>site-a</c> of <c>center-a</c>.</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2 NodeCertificate { get; private set; } = null!;

    public NginxProcess Nginx { get; private set; } = null!;

    public int HttpsPort { get; private set; }

    public int TransferPort { get; private set; }

    public string Token(string subject, string center) => jwks.CreateToken(Issuer, Audience, subject, [center]);

    public async Task InitializeAsync()
    {
        Hub = await HubProcess.StartAsync(
            new Dictionary<string, string?>
            {
                ["OIDC_ISSUER"] = Issuer,
                ["OIDC_AUDIENCE"] = Audience,
                ["OIDC_JWKS_FILE"] = jwks.WriteFile(work.Path),
                ["LXA_HUB_TRUSTED_PROXIES"] = "127.0.0.1",
                ["ENDOREG_HUB_TRANSFER_MTLS_META_KEY"] = AttestationHeader,
                ["ENDOREG_HUB_TRANSFER_MTLS_META_VALUE"] = "attested-by-test-nginx",
                ["LX_ANNOTATE_MEDIA_ACCEL_REDIRECT"] = "true",
            },
            proxiedTransfer: true);

        var nginx = await TemplateNginx.StartAsync(Hub, work.Combine("front"), AttestationHeader, "attested-by-test-nginx");
        Nginx = nginx.Process;
        HttpsPort = nginx.HttpsPort;
        TransferPort = nginx.TransferPort;
        await Hub.AddCenterAsync("center-a");
        await Hub.AddCenterAsync("center-b");
        NodeCertificate = await Hub.AddNodeAsync("site-a", "center-a");
    }

    public async Task DisposeAsync()
    {
        if (Nginx is not null)
        {
            await Nginx.DisposeAsync();
        }

        if (Hub is not null)
        {
            await Hub.DisposeAsync();
        }

        Dispose();
    }

    /// <summary>Idempotent: xunit calls it after <see cref="DisposeAsync"/>, which already did.</summary>
    public void Dispose()
    {
        NodeCertificate?.Dispose();
        jwks.Dispose();
        work.Dispose();
    }
}
