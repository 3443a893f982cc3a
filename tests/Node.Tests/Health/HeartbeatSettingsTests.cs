using LxAnnotate.Node.Health;
using LxAnnotate.Shared.Configuration;

namespace LxAnnotate.Node.Tests.Health;

public sealed class HeartbeatSettingsTests
{
    [Theory]
    [InlineData(null, 60)]
    [InlineData("15", 15)]
    [InlineData("0", 0)]
    public void Resolve_Interval_DefaultSixtySecondsZeroOff(string? value, int seconds)
    {
        var resolved = HeartbeatSettings.Resolve(name => name == HeartbeatSettings.IntervalVariable ? value : null);

        Assert.Equal(TimeSpan.FromSeconds(seconds), resolved.Interval);
        Assert.Equal(seconds > 0, resolved.Enabled);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("soon")]
    [InlineData("86401")]
    public void Resolve_BadInterval_OneLineNamingTheVariable(string value)
    {
        var error = Assert.Throws<ConfigurationContractException>(() => HeartbeatSettings.Resolve(_ => value));

        Assert.Contains(HeartbeatSettings.IntervalVariable, error.Message, StringComparison.Ordinal);
    }
}
