namespace LxAnnotate.Hub.Tests.Hosting;

/// <summary>Tests that read the process's native heap and allocation totals: run after the parallel ones, one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NativeHeapTestGroup
{
    public const string Name = "Process-wide native heap";
}
