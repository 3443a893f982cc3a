using LxAnnotate.Hub.Tests.Support;
using LxAnnotate.TestSupport;
using Microsoft.Extensions.Logging;

namespace LxAnnotate.Hub.Tests.Configuration;

/// <summary>What <c>lxa-hub serve</c> logs at start about the original's variables: which key won, the legacy salt decision, unused names.</summary>
public sealed class StartupConfigurationLogTests
{
    [Fact]
    public async Task Serve_KeyAndKeyFileLegacySaltAndUnusedVariables_LoggedByNameNeverByValue()
    {
        using var secrets = new TempDirectory();
        var inlineKey = TestMasterKey.NewEncoded();
        var fileKey = TestMasterKey.NewEncoded();
        var keyFile = KeyringTestFiles.Secret(secrets, "master.key", fileKey);

        await using var hub = await HubTestHost.StandaloneAsync(oidc: false, new Dictionary<string, string?>
        {
            ["LX_ANNOTATE_MASTER_KEY"] = inlineKey,
            ["LX_ANNOTATE_MASTER_KEY_FILE"] = keyFile,
            ["LXA_ALLOW_LEGACY_DEFAULT_SALT"] = "true",
            ["TIME_ZONE"] = "Europe/Berlin",
            ["DJANGO_ALLOWED_HOSTS"] = "localhost,127.0.0.1",
        });

        var lines = hub.Logs.Lines.Where(l => l.Category.EndsWith("StartupConfigurationLog", StringComparison.Ordinal)).ToList();
        Assert.Contains(lines, l => l.Message == "master key from LX_ANNOTATE_MASTER_KEY");
        Assert.Contains(lines, l => l.Level == LogLevel.Warning && l.Message.StartsWith("LX_ANNOTATE_MASTER_KEY_FILE is set but not used", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Level == LogLevel.Warning && l.Message.StartsWith("LXA_ALLOW_LEGACY_DEFAULT_SALT is on", StringComparison.Ordinal));
        var unused = Assert.Single(lines, l => l.Message.StartsWith("variables of the original", StringComparison.Ordinal));
        Assert.Contains("DJANGO_ALLOWED_HOSTS", unused.Message, StringComparison.Ordinal);
        Assert.Contains("TIME_ZONE", unused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(hub.Logs.Lines, l => l.Message.Contains(inlineKey, StringComparison.Ordinal) || l.Message.Contains(fileKey, StringComparison.Ordinal));
    }
}
