namespace LxAnnotate.Hub.Tests.Metrics;

/// <summary>Tests that listen to process-wide activities: run after the parallel ones, one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TracingTestGroup
{
    public const string Name = "Process-wide tracing";
}
