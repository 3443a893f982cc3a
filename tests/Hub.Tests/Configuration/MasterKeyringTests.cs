using System.Security.Cryptography;
using LxAnnotate.Hub.Storage.Encryption;
using LxAnnotate.Shared.Configuration;
using LxAnnotate.TestSupport;

namespace LxAnnotate.Hub.Tests.Configuration;

/// <summary>The original's master key sources and their precedence: keyring file, then the inline key, then the key file.</summary>
public sealed class MasterKeyringTests : IDisposable
{
    private readonly TempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    [Fact]
    public async Task Resolve_KeyringFile_ActiveWritesAndRetiringStillReads()
    {
        byte[] active = TestMasterKey.NewKey(), old = RandomNumberGenerator.GetBytes(16);
        var manifest = KeyringTestFiles.Manifest(dir, Key("active.key", active), [Key("old.key", old)]);

        var settings = Resolve(new() { ["LX_ANNOTATE_MASTER_KEYRING_FILE"] = manifest });

        Assert.Equal(1, settings.KeyRing!.RetiringCount);
        Assert.Equal("LX_ANNOTATE_MASTER_KEYRING_FILE", settings.KeySource);
        await AssertWritesWithAsync(settings.KeyRing, active);
    }

    [Fact]
    public async Task Resolve_KeyringFileAndInlineKey_KeyringWinsAndTheKeyIsReportedUnused()
    {
        var active = TestMasterKey.NewKey();
        var manifest = KeyringTestFiles.Manifest(dir, Key("active.key", active), []);

        // The original ignores the other sources when a keyring is configured, even an invalid inline key.
        var settings = Resolve(new() { ["LX_ANNOTATE_MASTER_KEYRING_FILE"] = manifest, ["LX_ANNOTATE_MASTER_KEY"] = "invalid-shadowed-inline-key" });

        Assert.Equal("LX_ANNOTATE_MASTER_KEY", settings.ShadowedKeySource);
        await AssertWritesWithAsync(settings.KeyRing!, active);
    }

    [Fact]
    public async Task Resolve_InlineKeyAndKeyFile_InlineKeyWinsAsInTheOriginal()
    {
        var inline = TestMasterKey.NewKey();

        var settings = Resolve(new()
        {
            ["LX_ANNOTATE_MASTER_KEY"] = TestMasterKey.Encode(inline),
            ["LX_ANNOTATE_MASTER_KEY_FILE"] = Key("file.key", TestMasterKey.NewKey()),
        });

        Assert.Equal("LX_ANNOTATE_MASTER_KEY", settings.KeySource);
        Assert.Equal("LX_ANNOTATE_MASTER_KEY_FILE", settings.ShadowedKeySource);
        await AssertWritesWithAsync(settings.KeyRing!, inline);
    }

    [Fact]
    public void Resolve_KeyringWithLegacySaltFlag_Refused()
    {
        var manifest = KeyringTestFiles.Manifest(dir, Key("active.key", TestMasterKey.NewKey()), [], allowLegacyDefaultSalt: true);

        var ex = Assert.Throws<ConfigurationContractException>(() => Resolve(new() { ["LX_ANNOTATE_MASTER_KEYRING_FILE"] = manifest }));

        Assert.Contains("applies only to identity salt keyrings", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_KeyringRepeatingAKey_RefusedWithoutKeyMaterial()
    {
        var key = TestMasterKey.NewKey();
        var manifest = KeyringTestFiles.Manifest(dir, Key("a.key", key), [Key("b.key", key)]);

        var ex = Assert.Throws<ConfigurationContractException>(() => Resolve(new() { ["LX_ANNOTATE_MASTER_KEYRING_FILE"] = manifest }));

        Assert.Equal("LX_ANNOTATE_MASTER_KEYRING_FILE", ex.VariableName);
        Assert.DoesNotContain(TestMasterKey.Encode(key), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_GroupReadableManifestOrKey_Refused()
    {
        var key = Key("active.key", TestMasterKey.NewKey());
        var manifest = KeyringTestFiles.Manifest(dir, key, []);
        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);

        var ex = Assert.Throws<ConfigurationContractException>(() => Resolve(new() { ["LX_ANNOTATE_MASTER_KEYRING_FILE"] = manifest }));

        Assert.Contains("must not be group- or world-accessible", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_KeyringAndRetiringFilesVariable_Refused()
    {
        var manifest = KeyringTestFiles.Manifest(dir, Key("active.key", TestMasterKey.NewKey()), []);

        var ex = Assert.Throws<ConfigurationContractException>(() => Resolve(new()
        {
            ["LX_ANNOTATE_MASTER_KEYRING_FILE"] = manifest,
            ["LX_ANNOTATE_MASTER_KEY_RETIRING_FILES"] = Key("old.key", TestMasterKey.NewKey()),
        }));

        Assert.Equal("LX_ANNOTATE_MASTER_KEY_RETIRING_FILES", ex.VariableName);
    }

    private static async Task AssertWritesWithAsync(MasterKeyRing ring, byte[] expectedCurrent)
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("probe.lxenc");
        await EncryptedFile.WriteAsync(new MemoryStream([1, 2, 3]), path, ring, chunkSize: 1024);
        using var reader = LxEnc01ReadStream.OpenFile(path, new MasterKeyRing(expectedCurrent));
        Assert.Equal(0, reader.KeyIndex);
    }

    private static EncryptionSettings Resolve(Dictionary<string, string?> environment) =>
        EncryptionSettingsResolver.Resolve(name => environment.GetValueOrDefault(name), DeploymentRole.Standalone);

    private string Key(string name, byte[] key) => KeyringTestFiles.Secret(dir, name, TestMasterKey.Encode(key));
}
