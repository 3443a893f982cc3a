using LxAnnotate.Hub.Configuration;
using LxAnnotate.Hub.Hosting;
using LxAnnotate.Shared.Configuration;

namespace LxAnnotate.Hub.Tests.Hosting;

/// <summary><c>LXA_HUB_NATIVE_HEAP_TRIM_SECONDS</c>: seconds or off.</summary>
public sealed class NativeHeapTrimOptionsTests
{
    [Theory]
    [InlineData(null, 10)]
    [InlineData("30", 30)]
    [InlineData("3600", 3600)]
    public void Resolve_SecondsOrDefault_IsTheInterval(string? value, int seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), Resolve(value).Interval);
    }

    [Theory]
    [InlineData("off")]
    [InlineData("OFF")]
    public void Resolve_Off_HasNoInterval(string value)
    {
        Assert.Null(Resolve(value).Interval);
    }

    [Theory]
    [InlineData("0", "must be a positive whole number")]
    [InlineData("2.5", "must be a positive whole number")]
    [InlineData("no", "must be a positive whole number")]
    [InlineData("3601", "must be at most 3600 seconds")]
    public void Resolve_BadValue_RefusedNamingTheVariable(string value, string problem)
    {
        var ex = Assert.Throws<ConfigurationContractException>(() => Resolve(value));

        Assert.Equal(NativeHeapTrimOptions.Variable, ex.VariableName);
        Assert.Contains(problem, ex.Message, StringComparison.Ordinal);
    }

    private static NativeHeapTrimOptions Resolve(string? value) =>
        NativeHeapTrimOptions.Resolve(new HubEnvironment(key => key == NativeHeapTrimOptions.Variable ? value : null));
}
