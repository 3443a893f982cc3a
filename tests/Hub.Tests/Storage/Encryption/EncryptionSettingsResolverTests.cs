using System.Security.Cryptography;
using LxAnnotate.Hub.Storage.Encryption;
using LxAnnotate.Shared.Configuration;
using LxAnnotate.TestSupport;

namespace LxAnnotate.Hub.Tests.Storage.Encryption;

public sealed class EncryptionSettingsResolverTests
{
    [Fact]
    public void Resolve_CentralHubWithoutKey_RequiredAndEnsureUsableFailsWithOneLine()
    {
        var settings = Resolve(DeploymentRole.CentralHub, []);

        Assert.True(settings.Required);
        Assert.Null(settings.KeyRing);
        var ex = Assert.Throws<ConfigurationContractException>(() => settings.EnsureUsable(DeploymentRole.CentralHub));
        Assert.StartsWith("LX_ANNOTATE_MASTER_KEY_FILE: central_hub requires encrypted storage", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void Resolve_StandaloneWithoutKey_NotRequired()
    {
        var settings = Resolve(DeploymentRole.Standalone, []);

        Assert.False(settings.Required);
        settings.EnsureUsable(DeploymentRole.Standalone);
    }

    [Fact]
    public void Resolve_SiteNodeRequireEncryptionWithoutKey_EnsureUsableFails()
    {
        var settings = Resolve(DeploymentRole.SiteNode, new() { ["LX_ANNOTATE_REQUIRE_ENCRYPTION"] = "true" });

        Assert.True(settings.Required);
        var ex = Assert.Throws<ConfigurationContractException>(() => settings.EnsureUsable(DeploymentRole.SiteNode));
        Assert.Contains("LX_ANNOTATE_REQUIRE_ENCRYPTION is on", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_CentralHubRequireEncryptionOff_Fails()
    {
        var ex = Assert.Throws<ConfigurationContractException>(() =>
            Resolve(DeploymentRole.CentralHub, new() { ["LX_ANNOTATE_REQUIRE_ENCRYPTION"] = "0" }));

        Assert.Equal("LX_ANNOTATE_REQUIRE_ENCRYPTION", ex.VariableName);
    }

    [Theory]
    [InlineData(16)]
    [InlineData(24)]
    [InlineData(32)]
    public void Resolve_KeyValue_BuildsRingThatOpensItsOwnFiles(int length)
    {
        var key = RandomNumberGenerator.GetBytes(length);
        var settings = Resolve(DeploymentRole.CentralHub, new() { ["LX_ANNOTATE_MASTER_KEY"] = TestMasterKey.Encode(key) });

        Assert.NotNull(settings.KeyRing);
        Assert.Equal(0, settings.KeyRing.RetiringCount);
        settings.EnsureUsable(DeploymentRole.CentralHub);
    }

    [Fact]
    public void Resolve_KeyFileAndRetiringFiles_UsesCurrentAndRetiring()
    {
        using var dir = new TempDirectory();
        var current = WriteKey(dir, "current.key", RandomNumberGenerator.GetBytes(32));
        var old1 = WriteKey(dir, "old1.key", RandomNumberGenerator.GetBytes(32));
        var old2 = WriteKey(dir, "old2.key", RandomNumberGenerator.GetBytes(16));

        var settings = Resolve(DeploymentRole.Standalone, new()
        {
            ["LX_ANNOTATE_MASTER_KEY_FILE"] = current,
            ["LX_ANNOTATE_MASTER_KEY_RETIRING_FILES"] = $"{old1}, {old2}",
        });
        var colonSeparated = Resolve(DeploymentRole.Standalone, new()
        {
            ["LX_ANNOTATE_MASTER_KEY_FILE"] = current,
            ["LX_ANNOTATE_MASTER_KEY_RETIRING_FILES"] = $"{old1}:{old2}",
        });

        Assert.Equal(2, settings.KeyRing!.RetiringCount);
        Assert.Equal(2, colonSeparated.KeyRing!.RetiringCount);
    }

    [Fact]
    public void Resolve_GroupReadableKeyFile_FailsNamingTheFile()
    {
        using var dir = new TempDirectory();
        var path = WriteKey(dir, "master.key", RandomNumberGenerator.GetBytes(32));
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);

        var ex = Assert.Throws<ConfigurationContractException>(() =>
            Resolve(DeploymentRole.CentralHub, new() { ["LX_ANNOTATE_MASTER_KEY_FILE"] = path }));

        Assert.Equal($"LX_ANNOTATE_MASTER_KEY_FILE: key file '{path}' must not be group- or world-accessible (chmod 600)", ex.Message);
    }

    [Fact]
    public void Resolve_WorldReadableRetiringFile_FailsNamingTheFile()
    {
        using var dir = new TempDirectory();
        var current = WriteKey(dir, "current.key", RandomNumberGenerator.GetBytes(32));
        var old = WriteKey(dir, "old.key", RandomNumberGenerator.GetBytes(32));
        File.SetUnixFileMode(old, UnixFileMode.UserRead | UnixFileMode.OtherRead);

        var ex = Assert.Throws<ConfigurationContractException>(() => Resolve(DeploymentRole.CentralHub, new()
        {
            ["LX_ANNOTATE_MASTER_KEY_FILE"] = current,
            ["LX_ANNOTATE_MASTER_KEY_RETIRING_FILES"] = old,
        }));

        Assert.Equal("LX_ANNOTATE_MASTER_KEY_RETIRING_FILES", ex.VariableName);
        Assert.Contains(old, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("AAECAwQFBgcICQoLDA0ODw")]
    [InlineData("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8+/w==")]
    [InlineData("AAECAwQFBgcICQoLDA0O")]
    public void Resolve_BadKeyValue_FailsWithoutEchoingIt(string value)
    {
        var ex = Assert.Throws<ConfigurationContractException>(() =>
            Resolve(DeploymentRole.Standalone, new() { ["LX_ANNOTATE_MASTER_KEY"] = value }));

        Assert.Equal("LX_ANNOTATE_MASTER_KEY", ex.VariableName);
        Assert.DoesNotContain(value, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_KeyAndKeyFileBoth_InlineKeyWinsAsInTheOriginal()
    {
        using var dir = new TempDirectory();
        var path = WriteKey(dir, "master.key", RandomNumberGenerator.GetBytes(32));

        var settings = Resolve(DeploymentRole.Standalone, new()
        {
            ["LX_ANNOTATE_MASTER_KEY"] = TestMasterKey.NewEncoded(),
            ["LX_ANNOTATE_MASTER_KEY_FILE"] = path,
        });

        Assert.Equal("LX_ANNOTATE_MASTER_KEY", settings.KeySource);
        Assert.Equal("LX_ANNOTATE_MASTER_KEY_FILE", settings.ShadowedKeySource);
    }

    [Fact]
    public void Resolve_RetiringEqualsCurrent_Fails()
    {
        using var dir = new TempDirectory();
        var key = RandomNumberGenerator.GetBytes(32);
        var current = WriteKey(dir, "current.key", key);
        var copy = WriteKey(dir, "copy.key", key);

        var ex = Assert.Throws<ConfigurationContractException>(() => Resolve(DeploymentRole.Standalone, new()
        {
            ["LX_ANNOTATE_MASTER_KEY_FILE"] = current,
            ["LX_ANNOTATE_MASTER_KEY_RETIRING_FILES"] = copy,
        }));

        Assert.Contains("distinct", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_RelativeOrMissingKeyFile_Fails()
    {
        Assert.Contains("absolute", Assert.Throws<ConfigurationContractException>(() =>
            Resolve(DeploymentRole.Standalone, new() { ["LX_ANNOTATE_MASTER_KEY_FILE"] = "master.key" })).Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", Assert.Throws<ConfigurationContractException>(() =>
            Resolve(DeploymentRole.Standalone, new() { ["LX_ANNOTATE_MASTER_KEY_FILE"] = "/nonexistent/master.key" })).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_KeyRing_ShowsNoKeyMaterial()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var ring = new MasterKeyRing(key);

        Assert.DoesNotContain(TestMasterKey.Encode(key), ring.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToHexString(key), ring.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    private static EncryptionSettings Resolve(DeploymentRole role, Dictionary<string, string?> environment) =>
        EncryptionSettingsResolver.Resolve(name => environment.GetValueOrDefault(name), role);

    private static string WriteKey(TempDirectory dir, string name, byte[] key)
    {
        var path = dir.Combine(name);
        File.WriteAllText(path, TestMasterKey.Encode(key) + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }
}
