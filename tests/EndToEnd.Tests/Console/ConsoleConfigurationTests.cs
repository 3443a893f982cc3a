using LxAnnotate.TestSupport;

namespace LxAnnotate.EndToEnd.Tests.OperatorConsole;

/// <summary><c>lxa-hub check-config</c> reports the console; a console setting that cannot work stops with one line.</summary>
public sealed class ConsoleConfigurationTests
{
    [Fact]
    public async Task CheckConfig_ConsoleNotConfigured_ReportsOff()
    {
        using var root = new TempDirectory();

        var result = await HubAsync(Environment(root));

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Contains("console: off (set LXA_HUB_CONSOLE_OIDC_CLIENT_ID to turn it on)", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckConfig_ConsoleConfigured_ReportsItWithoutTheSecret()
    {
        using var root = new TempDirectory();
        var secretFile = root.Combine("console-secret");
        await File.WriteAllTextAsync(secretFile, "console-secret-value-never-printed\n");
        File.SetUnixFileMode(secretFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var environment = Environment(root);
        environment["OIDC_ISSUER"] = "https://idp.example.org/realms/lx";
        environment["OIDC_AUDIENCE"] = "lx-annotate";
        environment["LXA_HUB_CONSOLE_OIDC_CLIENT_ID"] = "lxa-console";
        environment["LXA_HUB_CONSOLE_OIDC_CLIENT_SECRET_FILE"] = secretFile;
        environment["LXA_HUB_CONSOLE_ROLE"] = "hub-admin";

        var result = await HubAsync(environment);

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Contains(
            "console: on at /console/ (issuer https://idp.example.org/realms/lx, client lxa-console, client secret from file, role roles=hub-admin, centers from center_keys)",
            result.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("console-secret-value", result.StandardOutput + result.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://idp.example.org/realms/lx", "OIDC_ISSUER")]
    [InlineData(null, "OIDC_ISSUER")]
    public async Task CheckConfig_ConsoleWithoutUsableIssuer_OneLineNamingTheVariable(string? issuer, string variable)
    {
        using var root = new TempDirectory();
        var environment = Environment(root);
        environment["OIDC_ISSUER"] = issuer;
        environment["OIDC_AUDIENCE"] = issuer is null ? null : "lx-annotate";
        environment["LXA_HUB_CONSOLE_OIDC_CLIENT_ID"] = "lxa-console";

        var result = await HubAsync(environment);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(variable, Assert.Single(result.ErrorLines), StringComparison.Ordinal);
    }

    private static Dictionary<string, string?> Environment(TempDirectory root) => new()
    {
        ["ENDOREG_DEPLOYMENT_ROLE"] = "standalone",
        ["LX_ANNOTATE_ENCRYPTED_DATA_DIR"] = root.Path,
    };

    private static Task<ProcessResult> HubAsync(Dictionary<string, string?> environment) =>
        ProcessRunner.RunDotnetAsync(Binaries.Hub, ["check-config"], environment, TimeSpan.FromSeconds(90));
}
