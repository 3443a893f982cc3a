using LxAnnotate.Shared.Configuration;
using LxAnnotate.Shared.Tests.Support;

namespace LxAnnotate.Shared.Tests.Configuration;

public sealed class CenterKeysTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("0")]
    [InlineData("uk-essen")]
    [InlineData("center_01")]
    [InlineData("9lives")]
    public void IsValid_WellFormedKey_ReturnsTrue(string key)
    {
        Assert.True(CenterKeys.IsValid(key));
    }

    [Fact]
    public void IsValid_SixtyFourCharacters_ReturnsTrue()
    {
        Assert.True(CenterKeys.IsValid(new string('a', 64)));
    }

    [Fact]
    public void IsValid_SixtyFiveCharacters_ReturnsFalse()
    {
        Assert.False(CenterKeys.IsValid(new string('a', 65)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Essen")]
    [InlineData("-essen")]
    [InlineData("_essen")]
    [InlineData("uk essen")]
    [InlineData("uk.essen")]
    [InlineData("..")]
    [InlineData("a/b")]
    [InlineData("zürich")]
    [InlineData(" essen")]
    public void IsValid_MalformedKey_ReturnsFalse(string? key)
    {
        Assert.False(CenterKeys.IsValid(key));
    }
}
