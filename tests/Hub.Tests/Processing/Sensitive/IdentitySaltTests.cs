using LxAnnotate.Hub.Processing.Sensitive;
using LxAnnotate.Hub.Tests.Configuration;
using LxAnnotate.Shared.Configuration;
using LxAnnotate.TestSupport;

namespace LxAnnotate.Hub.Tests.Processing.Sensitive;

/// <summary>The original's salt precedence (identity keyring, then DJANGO_SALT_FILE, then DJANGO_SALT) and the legacy default salt.</summary>
public sealed class IdentitySaltTests : IDisposable
{
    private readonly TempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    [Fact]
    public void ResolveSalt_FileAndInline_FileWinsAndIsNamed()
    {
        var salt = Resolve(new() { ["DJANGO_SALT_FILE"] = KeyringTestFiles.Secret(dir, "salt", "from-file"), ["DJANGO_SALT"] = "inline" });

        Assert.Equal("from-file", salt.Active);
        Assert.Equal("DJANGO_SALT_FILE", salt.Source);
        Assert.DoesNotContain("from-file", salt.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ResolveSalt_IdentityKeyring_WinsWithItsRetiringGenerations()
    {
        var manifest = KeyringTestFiles.Manifest(
            dir, KeyringTestFiles.Secret(dir, "active", "new-salt"), [KeyringTestFiles.Secret(dir, "legacy", "default_salt")], allowLegacyDefaultSalt: true);

        var salt = Resolve(new() { ["DJANGO_IDENTITY_SALT_KEYRING_FILE"] = manifest, ["DJANGO_SALT"] = "inline" });

        Assert.Equal("new-salt", salt.Active);
        Assert.Equal(["default_salt"], salt.Retiring);
        Assert.Equal("DJANGO_IDENTITY_SALT_KEYRING_FILE", salt.Source);
        Assert.False(salt.LegacyDefault);
    }

    [Fact]
    public void ResolveSalt_KeyringWithDefaultSaltRetiringButNotEnrolled_Refused()
    {
        var manifest = KeyringTestFiles.Manifest(dir, KeyringTestFiles.Secret(dir, "active", "new-salt"), [KeyringTestFiles.Secret(dir, "legacy", "default_salt")]);

        var ex = Assert.Throws<ConfigurationContractException>(() => Resolve(new() { ["DJANGO_IDENTITY_SALT_KEYRING_FILE"] = manifest }));

        Assert.Equal("DJANGO_IDENTITY_SALT_KEYRING_FILE", ex.VariableName);
    }

    [Fact]
    public void ResolveSalt_KeyringWithDefaultSaltActive_RefusedEvenWhenEnrolled()
    {
        var manifest = KeyringTestFiles.Manifest(dir, KeyringTestFiles.Secret(dir, "active", "default_salt"), [KeyringTestFiles.Secret(dir, "old", "old-salt")], allowLegacyDefaultSalt: true);

        Assert.Throws<ConfigurationContractException>(() => Resolve(new() { ["DJANGO_IDENTITY_SALT_KEYRING_FILE"] = manifest }));
    }

    [Fact]
    public void ResolveSalt_NoSaltButLegacyAllowed_IsTheLiteralDefaultSaltAndFlagged()
    {
        var salt = Resolve(new() { ["LXA_ALLOW_LEGACY_DEFAULT_SALT"] = "true" });

        Assert.Equal("default_salt", salt.Active);
        Assert.True(salt.LegacyDefault);
        Assert.Equal("LXA_ALLOW_LEGACY_DEFAULT_SALT", salt.Source);
    }

    [Fact]
    public void ResolveSalt_ExplicitDefaultSaltAllowed_Accepted()
    {
        var salt = Resolve(new() { ["DJANGO_SALT"] = "default_salt", ["LXA_ALLOW_LEGACY_DEFAULT_SALT"] = "1" });

        Assert.True(salt.LegacyDefault);
        Assert.Equal("DJANGO_SALT", salt.Source);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("false")]
    public void ResolveSalt_DefaultSaltWithoutTheDecision_Refused(string? allow)
    {
        var ex = Assert.Throws<ConfigurationContractException>(() => Resolve(new() { ["DJANGO_SALT"] = "default_salt", ["LXA_ALLOW_LEGACY_DEFAULT_SALT"] = allow }));

        Assert.Equal("DJANGO_SALT: the hash salt is the placeholder 'default_salt'; set the real salt", ex.Message);
    }

    [Fact]
    public void ResolveSalt_LegacyDecisionNotABoolean_Refused()
    {
        var ex = Assert.Throws<ConfigurationContractException>(() => Resolve(new() { ["LXA_ALLOW_LEGACY_DEFAULT_SALT"] = "maybe" }));

        Assert.Equal("LXA_ALLOW_LEGACY_DEFAULT_SALT", ex.VariableName);
    }

    private static IdentitySalt Resolve(Dictionary<string, string?> environment) =>
        DjangoSalt.ResolveSalt(name => environment.GetValueOrDefault(name));
}
