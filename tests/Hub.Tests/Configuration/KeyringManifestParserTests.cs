using LxAnnotate.Hub.Configuration;
using LxAnnotate.Shared.Configuration;

namespace LxAnnotate.Hub.Tests.Configuration;

public sealed class KeyringManifestParserTests
{
    private const string Variable = "LX_ANNOTATE_MASTER_KEYRING_FILE";

    [Fact]
    public void Parse_TheOriginalsDocumentedManifest_ReadsEveryField()
    {
        // As endoreg-db's identity keyring guide writes it.
        const string text = "schema_version: 1\nactive: /etc/secrets/vault/lx_annotate_identity_active\nretiring:\n  - /etc/secrets/vault/lx_annotate_identity_legacy_default\nallow_legacy_default_salt: true\n\n";

        var manifest = KeyringManifestParser.Parse(text, Variable);

        Assert.Equal("/etc/secrets/vault/lx_annotate_identity_active", manifest.Active);
        Assert.Equal(["/etc/secrets/vault/lx_annotate_identity_legacy_default"], manifest.Retiring);
        Assert.True(manifest.AllowLegacyDefaultSalt);
    }

    [Theory]
    [InlineData("---\nschema_version: 1 # comment\nactive: '/k/a'\nretiring: [\"/k/b\", /k/c]\n", 2)]
    [InlineData("schema_version: 1\nactive: /k/a\nretiring: []\n", 0)]
    [InlineData("schema_version: 1\nactive: /k/a\nretiring:\n- /k/b\n", 1)]
    [InlineData("# keys\nschema_version: 1\nactive: /k/a\n", 0)]
    public void Parse_PlainYamlForms_Accepted(string text, int retiring)
    {
        var manifest = KeyringManifestParser.Parse(text, Variable);

        Assert.Equal("/k/a", manifest.Active);
        Assert.Equal(retiring, manifest.Retiring.Count);
        Assert.False(manifest.AllowLegacyDefaultSalt);
    }

    [Theory]
    [InlineData("active: /k/a\n", "schema_version must be 1")]
    [InlineData("schema_version: 2\nactive: /k/a\n", "schema_version must be 1")]
    [InlineData("schema_version: \"1\"\nactive: /k/a\n", "schema_version must be 1")]
    [InlineData("schema_version: 1\n", "'active'")]
    [InlineData("schema_version: 1\nactive: /k/a\nextra: x\n", "unknown field 'extra'")]
    [InlineData("schema_version: 1\nactive: /k/a\nactive: /k/b\n", "appears twice")]
    [InlineData("schema_version: 1\nactive: &a /k/a\n", "no anchors")]
    [InlineData("schema_version: 1\nactive: /k/a\n<<: *base\n", "unknown field")]
    [InlineData("schema_version: 1\nactive: /k/a\nallow_legacy_default_salt: \"true\"\n", "must be true or false")]
    [InlineData("schema_version: 1\nactive: /k/a\nretiring: [/1, /2, /3, /4, /5, /6, /7, /8, /9]\n", "at most 8")]
    [InlineData("schema_version: 1\n  active: /k/a\n", "indentation")]
    public void Parse_NotTheOriginalsFormat_RefusedNamingTheVariable(string text, string problem)
    {
        var ex = Assert.Throws<ConfigurationContractException>(() => KeyringManifestParser.Parse(text, Variable));

        Assert.StartsWith($"{Variable}: invalid keyring manifest", ex.Message, StringComparison.Ordinal);
        Assert.Contains(problem, ex.Message, StringComparison.Ordinal);
    }
}
