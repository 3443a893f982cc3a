using LxAnnotate.Shared.Configuration;
using LxAnnotate.Shared.Tests.Support;

namespace LxAnnotate.Shared.Tests.Configuration;

public sealed class RuntimeSettingsResolverRoleTests : IDisposable
{
    private const string PostgresUrl = "postgres://lxa:pw@db.example.org/lxannotate";

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private Dictionary<string, string?> Environment(string? role) => new()
    {
        ["ENDOREG_DEPLOYMENT_ROLE"] = role,
        ["LX_ANNOTATE_ENCRYPTED_DATA_DIR"] = _temp.Combine("data"),
        ["DATABASE_URL"] = PostgresUrl,
    };

    [Theory]
    [InlineData("standalone", DeploymentRole.Standalone)]
    [InlineData("site_node", DeploymentRole.SiteNode)]
    [InlineData("central_hub", DeploymentRole.CentralHub)]
    public void Resolve_ValidRole_ReturnsRole(string value, DeploymentRole expected)
    {
        Assert.Equal(expected, TestEnvironment.Resolve(Environment(value)).Role);
    }

    [Fact]
    public void Resolve_RoleUnset_Standalone()
    {
        Assert.Equal(DeploymentRole.Standalone, TestEnvironment.Resolve(Environment(null)).Role);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Resolve_RoleEmpty_Standalone(string value)
    {
        Assert.Equal(DeploymentRole.Standalone, TestEnvironment.Resolve(Environment(value)).Role);
    }

    [Fact]
    public void Resolve_RoleWithSurroundingWhitespace_Trimmed()
    {
        Assert.Equal(DeploymentRole.SiteNode, TestEnvironment.Resolve(Environment(" site_node\t")).Role);
    }

    [Fact]
    public void Resolve_UnknownRole_ThrowsNamingVariable()
    {
        var ex = TestEnvironment.ResolveFails(Environment("xyz"));

        Assert.Equal("ENDOREG_DEPLOYMENT_ROLE", ex.VariableName);
        Assert.Equal(
            "ENDOREG_DEPLOYMENT_ROLE: unknown role 'xyz' (expected standalone, site_node or central_hub)",
            ex.Message);
    }

    [Theory]
    [InlineData("Standalone", DeploymentRole.Standalone)]
    [InlineData("CENTRAL_HUB", DeploymentRole.CentralHub)]
    [InlineData("Site_Node", DeploymentRole.SiteNode)]
    public void Resolve_RoleInAnyCase_AcceptedAsTheOriginalLowerCasesIt(string value, DeploymentRole expected)
    {
        Assert.Equal(expected, TestEnvironment.Resolve(Environment(value)).Role);
    }

    [Theory]
    [InlineData("site-node")]
    [InlineData("SiteNode")]
    public void Resolve_RoleInWrongSpelling_Throws(string value)
    {
        var ex = TestEnvironment.ResolveFails(Environment(value));

        Assert.Equal("ENDOREG_DEPLOYMENT_ROLE", ex.VariableName);
        Assert.Contains($"'{value}'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_RoleWithEmbeddedNewline_MessageStaysOneLine()
    {
        var ex = TestEnvironment.ResolveFails(Environment("central\nhub"));

        Assert.Equal("ENDOREG_DEPLOYMENT_ROLE", ex.VariableName);
    }
}
