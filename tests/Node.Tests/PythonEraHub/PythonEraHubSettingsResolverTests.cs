using LxAnnotate.Node.Hosting;
using LxAnnotate.Node.PythonEraHub;
using LxAnnotate.Shared.Configuration;
using LxAnnotate.TestSupport;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace LxAnnotate.Node.Tests.PythonEraHub;

public sealed class PythonEraHubSettingsResolverTests : IDisposable
{
    private readonly TempDirectory root = new();

    public void Dispose() => root.Dispose();

    [Fact]
    public void Resolve_NoProtocol_GrpcAndDisabled()
    {
        var settings = PythonEraHubSettingsResolver.Resolve(_ => null, Node(), Runtime());

        Assert.False(settings.Enabled);
    }

    [Fact]
    public void Resolve_PythonEra_ReadsSecretFileTrimmedAndDefaults()
    {
        var secretFile = root.Combine("secret");
        File.WriteAllText(secretFile, "s3cret-value\n");

        var settings = PythonEraHubSettingsResolver.Resolve(Lookup(("LXA_NODE_HUB_NODE_SECRET_FILE", secretFile)), Node(), Runtime());

        Assert.True(settings.Enabled);
        Assert.Equal("s3cret-value", settings.NodeSecret);
        Assert.Equal("site-a", settings.NodeKey);
        Assert.Equal("hub", settings.TargetNodeKey);
        Assert.Equal("center-a", settings.SourceCenterKey);
        Assert.Equal("3.0", settings.PayloadSchemaVersion);
        Assert.DoesNotContain("s3cret-value", settings.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("LXA_NODE_HUB_PROTOCOL", "http", "LXA_NODE_HUB_PROTOCOL")]
    [InlineData("LXA_NODE_HUB_NODE_SECRET_FILE", null, "LXA_NODE_HUB_NODE_SECRET_FILE")]
    [InlineData("LXA_NODE_HUB_NODE_SECRET_FILE", "relative/secret", "LXA_NODE_HUB_NODE_SECRET_FILE")]
    [InlineData("LXA_NODE_HUB_PAYLOAD_SCHEMA_VERSION", "1.0", "LXA_NODE_HUB_PAYLOAD_SCHEMA_VERSION")]
    [InlineData("LXA_NODE_HUB_TARGET_NODE_KEY", "Hub Key", "LXA_NODE_HUB_TARGET_NODE_KEY")]
    [InlineData("LXA_NODE_HUB_SOURCE_CENTER_KEY", "Center A", "LXA_NODE_HUB_SOURCE_CENTER_KEY")]
    public void Resolve_BadValue_NamesTheVariable(string name, string? value, string expected)
    {
        var secretFile = root.Combine("secret");
        File.WriteAllText(secretFile, "s3cret");
        var lookup = Lookup(("LXA_NODE_HUB_NODE_SECRET_FILE", secretFile), (name, value));

        var ex = Assert.Throws<ConfigurationContractException>(() => PythonEraHubSettingsResolver.Resolve(lookup, Node(), Runtime()));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_Envelope30WithoutRecipientKey_NamesTheKeyVariable_20WithoutIsFine()
    {
        var secretFile = root.Combine("secret");
        File.WriteAllText(secretFile, "s3cret");
        var node = Node() with { ExportRecipientPublicKey = null };

        var ex = Assert.Throws<ConfigurationContractException>(() =>
            PythonEraHubSettingsResolver.Resolve(Lookup(("LXA_NODE_HUB_NODE_SECRET_FILE", secretFile)), node, Runtime()));
        var plaintext = PythonEraHubSettingsResolver.Resolve(
            Lookup(("LXA_NODE_HUB_NODE_SECRET_FILE", secretFile), ("LXA_NODE_HUB_PAYLOAD_SCHEMA_VERSION", "2.0")), node, Runtime());

        Assert.Contains("LX_ANNOTATE_HUB_EXPORT_RECIPIENT_PUBLIC_KEY_FILE", ex.Message, StringComparison.Ordinal);
        Assert.Equal("2.0", plaintext.PayloadSchemaVersion);
    }

    [Fact]
    public void Resolve_NoNodeKey_NamesLxaNodeKey()
    {
        var secretFile = root.Combine("secret");
        File.WriteAllText(secretFile, "s3cret");

        var ex = Assert.Throws<ConfigurationContractException>(() =>
            PythonEraHubSettingsResolver.Resolve(Lookup(("LXA_NODE_HUB_NODE_SECRET_FILE", secretFile)), Node() with { NodeKey = null }, Runtime()));

        Assert.Contains("LXA_NODE_KEY", ex.Message, StringComparison.Ordinal);
    }

    private static Func<string, string?> Lookup(params (string Name, string? Value)[] values)
    {
        var map = new Dictionary<string, string?> { ["LXA_NODE_HUB_PROTOCOL"] = "python-era" };
        foreach (var (name, value) in values)
        {
            map[name] = value;
        }

        return name => map.GetValueOrDefault(name);
    }

    private LxaRuntimeSettings Runtime() => RuntimeSettingsResolver.Resolve(name => name switch
    {
        "LX_ANNOTATE_ENCRYPTED_DATA_DIR" => root.Path,
        "LX_ANNOTATE_DEFAULT_CENTER" => "center-a",
        _ => null,
    });

    private NodeSettings Node()
    {
        var key = new X25519PrivateKeyParameters(new SecureRandom()).GeneratePublicKey();
        return new NodeSettings
        {
            HubUrl = new Uri("https://hub.example.org"),
            HubSocketPath = root.Combine("run", "hub.sock"),
            OutboxDir = root.Combine("node", "outbox"),
            OutboxDatabase = root.Combine("node", "outbox.sqlite3"),
            NodeKey = "site-a",
            ExportRecipientPublicKey = key,
        };
    }
}
