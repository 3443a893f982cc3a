using System.Security.Claims;
using LxAnnotate.Hub.Authentication;

namespace LxAnnotate.Hub.Tests.Authentication;

public sealed class CenterClaimsTests
{
    [Fact]
    public void Read_RepeatedClaims_ReturnsEachValue()
    {
        var principal = Principal(new Claim("center_keys", "center-a"), new Claim("center_keys", "center-b"));

        Assert.Equal(["center-a", "center-b"], CenterClaims.Read(principal, "center_keys").Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("center-a center-b")]
    [InlineData("center-a,center-b")]
    [InlineData(" center-a ,  center-b ")]
    [InlineData("[\"center-a\", \"center-b\"]")]
    public void Read_SingleClaimListingCenters_ReturnsEachValue(string value)
    {
        var principal = Principal(new Claim("center_keys", value));

        Assert.Equal(["center-a", "center-b"], CenterClaims.Read(principal, "center_keys").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Read_MalformedJsonArray_GrantsNothing()
    {
        var principal = Principal(new Claim("center_keys", "[\"center-a\", "));

        Assert.Empty(CenterClaims.Read(principal, "center_keys"));
    }

    [Fact]
    public void Read_OtherClaimName_IsIgnored()
    {
        var principal = Principal(new Claim("groups", "center-a"));

        Assert.Empty(CenterClaims.Read(principal, "center_keys"));
    }

    private static ClaimsPrincipal Principal(params Claim[] claims) => new(new ClaimsIdentity(claims, "test"));
}
