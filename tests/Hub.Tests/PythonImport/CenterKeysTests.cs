using LxAnnotate.Hub.PythonImport;

namespace LxAnnotate.Hub.Tests.PythonImport;

public sealed class CenterKeysTests
{
    [Theory]
    [InlineData("Universitätsklinikum Würzburg", "universitaetsklinikum-wuerzburg")]
    [InlineData("Klinikum Süd", "klinikum-sued")]
    [InlineData("gastro_praxis_nord", "gastro_praxis_nord")]
    [InlineData("  St. Marien / Großstadt  ", "st-marien-grossstadt")]
    [InlineData("Hôpital Européen", "hopital-europeen")]
    public void FromName_FreeTextName_GivesAValidKey(string name, string expected)
    {
        Assert.Equal(expected, CenterKeys.FromName(name, 7));
    }

    [Theory]
    [InlineData("")]
    [InlineData("+++")]
    [InlineData("東京")]
    public void FromName_NothingUsable_FallsBackToTheSourceId(string name)
    {
        Assert.Equal("center-7", CenterKeys.FromName(name, 7));
    }

    [Fact]
    public void FromNameAndWithSourceId_LongName_StayWithinSixtyFourCharacters()
    {
        var key = CenterKeys.FromName(new string('a', 50) + " " + new string('b', 50), 12345);

        Assert.Equal(64, key.Length);
        Assert.Matches("^[a-z0-9_-]{1,64}$", key);
        var suffixed = CenterKeys.WithSourceId(key, 12345);
        Assert.Equal(64, suffixed.Length);
        Assert.EndsWith("-12345", suffixed, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ukw", true)]
    [InlineData("gastro_praxis_nord", true)]
    [InlineData("klinikum-sued-2", true)]
    [InlineData("", false)]
    [InlineData("UKW", false)]
    [InlineData("klinikum süd", false)]
    public void IsValid_OriginalsCenterKey_TakenOnlyWhenItIsAKeyHere(string key, bool valid)
    {
        Assert.Equal(valid, CenterKeys.IsValid(key));
        Assert.False(CenterKeys.IsValid(new string('a', 65)));
    }
}
