using LxAnnotate.Shared.Configuration;
using LxAnnotate.Shared.Tests.Support;

namespace LxAnnotate.Shared.Tests.Configuration;

public sealed class DeploymentRolesTests
{
    [Theory]
    [InlineData(DeploymentRole.Standalone, "standalone")]
    [InlineData(DeploymentRole.SiteNode, "site_node")]
    [InlineData(DeploymentRole.CentralHub, "central_hub")]
    public void ToWireName_EachRole_ReturnsContractName(DeploymentRole role, string expected)
    {
        Assert.Equal(expected, role.ToWireName());
    }

    [Fact]
    public void ToWireName_UndefinedValue_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ((DeploymentRole)42).ToWireName());
    }

    [Theory]
    [InlineData(DeploymentRole.Standalone)]
    [InlineData(DeploymentRole.SiteNode)]
    [InlineData(DeploymentRole.CentralHub)]
    public void TryParse_WireName_RoundTrips(DeploymentRole role)
    {
        Assert.True(DeploymentRoles.TryParse(role.ToWireName(), out DeploymentRole parsed));
        Assert.Equal(role, parsed);
    }

    [Fact]
    public void TryParse_SurroundingWhitespace_Accepted()
    {
        Assert.True(DeploymentRoles.TryParse("  central_hub\t", out DeploymentRole parsed));
        Assert.Equal(DeploymentRole.CentralHub, parsed);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("site-node")]
    [InlineData("SiteNode")]
    [InlineData("hub")]
    public void TryParse_NotAWireName_ReturnsFalse(string? value)
    {
        Assert.False(DeploymentRoles.TryParse(value, out _));
    }

    [Theory]
    [InlineData("Standalone", DeploymentRole.Standalone)]
    [InlineData("CENTRAL_HUB", DeploymentRole.CentralHub)]
    [InlineData(" Site_Node ", DeploymentRole.SiteNode)]
    public void TryParse_AnyCase_Accepted(string value, DeploymentRole expected)
    {
        Assert.True(DeploymentRoles.TryParse(value, out DeploymentRole parsed));
        Assert.Equal(expected, parsed);
    }
}
