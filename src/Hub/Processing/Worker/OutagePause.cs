namespace LxAnnotate.Hub.Processing.Worker;

/// <summary>How long the worker waits before it asks a database that did not answer again: doubling, at most 5 s.</summary>
internal static class OutagePause
{
    public static readonly TimeSpan Max = TimeSpan.FromSeconds(5);

    public static TimeSpan After(TimeSpan pause) => TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, Max.Ticks));
}
