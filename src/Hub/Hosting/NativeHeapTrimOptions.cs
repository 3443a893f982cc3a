using LxAnnotate.Hub.Configuration;
using LxAnnotate.Shared.Configuration;

namespace LxAnnotate.Hub.Hosting;

/// <summary>How often <see cref="NativeHeapTrimmer"/> may give freed native memory back (<see cref="Variable"/>).</summary>
internal sealed record NativeHeapTrimOptions(TimeSpan? Interval)
{
    public const string Variable = "LXA_HUB_NATIVE_HEAP_TRIM_SECONDS";

    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(10);

    /// <summary>Whole seconds, or <c>off</c>; at most an hour.</summary>
    public static NativeHeapTrimOptions Resolve(HubEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (string.Equals(environment.Read(Variable), "off", StringComparison.OrdinalIgnoreCase))
        {
            return new NativeHeapTrimOptions(Interval: null);
        }

        var seconds = environment.PositiveNumber(Variable, (long)DefaultInterval.TotalSeconds);
        return seconds <= 3600
            ? new NativeHeapTrimOptions(TimeSpan.FromSeconds(seconds))
            : throw new ConfigurationContractException(Variable, "must be at most 3600 seconds (or 'off')");
    }
}
