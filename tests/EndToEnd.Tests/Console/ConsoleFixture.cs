using System.Security.Cryptography;
using LxAnnotate.EndToEnd.Tests.Support;
using LxAnnotate.TestSupport;
using LxAnnotate.TestSupport.Browser;
using LxAnnotate.TestSupport.Oidc;

namespace LxAnnotate.EndToEnd.Tests.OperatorConsole;

/// <summary>
/// One real hub (central_hub on PostgreSQL, https API listener), one real OIDC provider and one headless chromium for
/// the console test classes (<see cref="ConsoleTestGroup"/>); each test opens its own browser context. Centers center-a and center-b exist.
/// </summary>
public sealed class ConsoleFixture : IAsyncLifetime
{
    public const string ClientId = "lxa-console";
    public const string HubWideOperator = "ops-hub";
    public const string CenterAOperator = "ops-a";
    public const string WithoutRole = "viewer";

    /// <summary>Small, so a slow upload of a few MiB moves the durable offset (what live progress shows) step by step.</summary>
    public const int CheckpointBytes = 256 * 1024;

    private static readonly Dictionary<string, object> Users = new(StringComparer.Ordinal)
    {
        [HubWideOperator] = new Dictionary<string, object> { ["roles"] = new[] { "lxa-operator" } },
        [CenterAOperator] = new Dictionary<string, object> { ["roles"] = new[] { "lxa-operator" }, ["center_keys"] = new[] { "center-a" } },
        [WithoutRole] = new Dictionary<string, object> { ["roles"] = new[] { "lxa-viewer" } },
    };

    private string? secretsDir;

    internal HubProcess Hub { get; private set; } = null!;

    /// <summary>The console's client secret, which must never reach a log line.</summary>
    internal string ClientSecret { get; private set; } = "";

    internal OidcTestProvider Provider { get; private set; } = null!;

    internal HeadlessChromium Chromium { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var providerPort = OidcTestProvider.ReservePort();
        var secret = ClientSecret = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
        secretsDir = Directory.CreateTempSubdirectory("lxa-console-").FullName;
        var secretFile = Path.Combine(secretsDir, "console-client-secret");
        await File.WriteAllTextAsync(secretFile, secret + "\n");
        File.SetUnixFileMode(secretFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        Hub = await HubProcess.StartAsync(new Dictionary<string, string?>
        {
            ["OIDC_ISSUER"] = $"http://127.0.0.1:{providerPort}",
            ["LXA_HUB_CONSOLE_OIDC_CLIENT_ID"] = ClientId,
            ["LXA_HUB_CONSOLE_OIDC_CLIENT_SECRET_FILE"] = secretFile,
            ["LXA_HUB_TRANSFER_CHECKPOINT_BYTES"] = CheckpointBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, signsNodeCertificates: true);
        await Hub.AddCenterAsync("center-a");
        await Hub.AddCenterAsync("center-b");

        var client = new OidcTestClient(ClientId, secret, new Uri(Hub.ApiUrl, "/console/signin-oidc"), new Uri(Hub.ApiUrl, "/console/signout-callback-oidc"));
        Provider = await OidcTestProvider.StartAsync(providerPort, client, Users);
        Chromium = await HeadlessChromium.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        if (Chromium is not null)
        {
            await Chromium.DisposeAsync();
        }

        if (Provider is not null)
        {
            await Provider.DisposeAsync();
        }

        if (Hub is not null)
        {
            await Hub.DisposeAsync();
        }

        if (secretsDir is not null)
        {
            Directory.Delete(secretsDir, recursive: true);
        }
    }
}
