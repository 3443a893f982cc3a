using LxAnnotate.Shared.Configuration;

namespace LxAnnotate.Shared.Tests.Support;

/// <summary>Dictionary-backed variables, so no test reads or changes the process environment.</summary>
internal static class TestEnvironment
{
    public static Func<string, string?> Lookup(IReadOnlyDictionary<string, string?> values) =>
        name => values.GetValueOrDefault(name);

    public static LxaRuntimeSettings Resolve(IReadOnlyDictionary<string, string?> values) =>
        RuntimeSettingsResolver.Resolve(Lookup(values));

    public static ConfigurationContractException ResolveFails(IReadOnlyDictionary<string, string?> values)
    {
        var ex = Assert.Throws<ConfigurationContractException>(() => Resolve(values));
        AssertOneLine(ex);
        return ex;
    }

    public static void AssertOneLine(ConfigurationContractException ex)
    {
        Assert.DoesNotContain('\n', ex.Message);
        Assert.DoesNotContain('\r', ex.Message);
        Assert.StartsWith(ex.VariableName + ": ", ex.Message, StringComparison.Ordinal);
    }
}
