using LxAnnotate.Shared.Configuration;
using LxAnnotate.Shared.Tests.Support;

namespace LxAnnotate.Shared.Tests.Configuration;

public sealed class RuntimeSettingsResolverDefaultCenterTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private Dictionary<string, string?> Environment(string? center) => new()
    {
        ["LX_ANNOTATE_ENCRYPTED_DATA_DIR"] = _temp.Combine("data"),
        ["LX_ANNOTATE_DEFAULT_CENTER"] = center,
    };

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Resolve_DefaultCenterUnsetOrBlank_Null(string? value)
    {
        Assert.Null(TestEnvironment.Resolve(Environment(value)).DefaultCenterKey);
    }

    [Theory]
    [InlineData("uk-essen", "uk-essen")]
    [InlineData("center_01", "center_01")]
    [InlineData(" gastro ", "gastro")]
    public void Resolve_ValidDefaultCenter_Returned(string value, string expected)
    {
        Assert.Equal(expected, TestEnvironment.Resolve(Environment(value)).DefaultCenterKey);
    }

    [Theory]
    [InlineData("UK-Essen")]
    [InlineData("-essen")]
    [InlineData("uk essen")]
    [InlineData("uk/essen")]
    [InlineData("..")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public void Resolve_InvalidDefaultCenter_ThrowsNamingVariable(string value)
    {
        var ex = TestEnvironment.ResolveFails(Environment(value));

        Assert.Equal("LX_ANNOTATE_DEFAULT_CENTER", ex.VariableName);
        Assert.Contains("not a valid center key", ex.Message, StringComparison.Ordinal);
    }
}
