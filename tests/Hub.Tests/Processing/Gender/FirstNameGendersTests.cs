using LxAnnotate.Hub.Processing.Gender;

namespace LxAnnotate.Hub.Tests.Processing.Gender;

public sealed class FirstNameGendersTests
{
    [Theory]
    [InlineData("Käthe", "female")]
    [InlineData("KÄTHE", "female")]
    [InlineData("anna", "female")]
    [InlineData("Jürgen", "male")]
    [InlineData("Jörg-Peter", "male")]
    [InlineData("Klaus-Dieter", "male")]
    [InlineData("Ann-Kathrin", "female")]
    [InlineData("Anna Lena", "female")]
    [InlineData("Andrea", "unknown")] // on both of the original's lists
    [InlineData("Kim", "unknown")] // given to both
    [InlineData("Xqzwv", "unknown")] // on no list: unknown, as the original stores it
    [InlineData("Xqzwv-Käthe", "female")]
    public void Guess_FirstName_GenderFromTheOriginalsData(string name, string expected)
    {
        Assert.Equal(expected, FirstNameGenders.Guess(name));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Guess_NoName_Null(string? name)
    {
        Assert.Null(FirstNameGenders.Guess(name));
    }

    [Fact]
    public void Pools_AreDisjointAndEachNameGuessesToItsPool()
    {
        Assert.True(FirstNameGenders.Female.Count > 400, $"{FirstNameGenders.Female.Count} female names");
        Assert.True(FirstNameGenders.Male.Count > 600, $"{FirstNameGenders.Male.Count} male names");
        Assert.True(FirstNameGenders.Unisex.Count >= 10, $"{FirstNameGenders.Unisex.Count} unisex names");
        Assert.All(FirstNameGenders.Female, n => Assert.Equal(PatientGenders.Female, FirstNameGenders.Guess(n)));
        Assert.All(FirstNameGenders.Male, n => Assert.Equal(PatientGenders.Male, FirstNameGenders.Guess(n)));
        Assert.All(FirstNameGenders.Unisex, n => Assert.Equal(PatientGenders.Unknown, FirstNameGenders.Guess(n)));
        Assert.All(FirstNameGenders.Female.Concat(FirstNameGenders.Male).Concat(FirstNameGenders.Unisex),
            n => Assert.DoesNotContain(' ', n));
    }

    [Theory]
    [InlineData("female")]
    [InlineData("male")]
    [InlineData("unknown")]
    [InlineData(null)]
    public void PoolFor_Gender_ThatGendersNames(string? gender)
    {
        var expected = gender is "female" or "male" ? gender : PatientGenders.Unknown;
        Assert.All(FirstNameGenders.PoolFor(gender), n => Assert.Equal(expected, FirstNameGenders.Guess(n)));
    }
}
