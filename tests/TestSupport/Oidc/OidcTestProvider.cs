using System.Diagnostics;
using System.Text.Json;
using Xunit;

namespace LxAnnotate.TestSupport.Oidc;

/// <summary>
/// npm's <c>oidc-provider</c> (a certified OpenID Connect implementation) run by Debian's node on a loopback port, with
/// one confidential client and the users given. The package is installed once per machine into a cache folder.
/// </summary>
public sealed class OidcTestProvider : IAsyncDisposable
{
    public const string PackageVersion = "9.13.3";

    private readonly ChildProcess process;

    private OidcTestProvider(ChildProcess process, int port)
    {
        this.process = process;
        Port = port;
    }

    public int Port { get; }

    public Uri Issuer => new($"http://127.0.0.1:{Port}");

    public string Output => process.Output;

    /// <summary>A free port for the provider, known before the hub starts (the hub is configured with the issuer URL).</summary>
    public static int ReservePort() => FreePort.Next();

    /// <param name="users">Login name → claims beyond sub and preferred_username (e.g. roles, center_keys).</param>
    public static async Task<OidcTestProvider> StartAsync(int port, OidcTestClient client, IReadOnlyDictionary<string, object> users)
    {
        ArgumentNullException.ThrowIfNull(client);
        var moduleDir = await OidcProviderPackage.EnsureInstalledAsync(PackageVersion);
        var start = new ProcessStartInfo("/usr/bin/node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(Binaries.RepositoryRoot, "tests", "TestSupport", "Oidc", "oidc-test-provider.mjs"));
        start.Environment["OIDC_MODULE_DIR"] = moduleDir;
        start.Environment["OIDC_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["OIDC_USERS"] = JsonSerializer.Serialize(users);
        start.Environment["OIDC_CLIENT_ID"] = client.ClientId;
        start.Environment["OIDC_CLIENT_SECRET"] = client.ClientSecret;
        start.Environment["OIDC_REDIRECT_URI"] = client.RedirectUri.AbsoluteUri;
        start.Environment["OIDC_POST_LOGOUT_REDIRECT_URI"] = client.PostLogoutRedirectUri.AbsoluteUri;
        var provider = new OidcTestProvider(ChildProcess.Start(start), port);
        await provider.WaitUntilServingAsync();
        return provider;
    }

    private async Task WaitUntilServingAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var discovery = new Uri(Issuer, "/.well-known/openid-configuration");
        for (var attempt = 0; attempt < 150; attempt++)
        {
            Assert.False(process.HasExited, $"oidc-provider exited:\n{Output}");
            try
            {
                using var response = await http.GetAsync(discovery);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        Assert.Fail($"oidc-provider did not serve its discovery document:\n{Output}");
    }

    public ValueTask DisposeAsync() => process.DisposeAsync();
}
