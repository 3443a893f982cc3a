namespace LxAnnotate.Bench.Ocr;

/// <summary>Wall-clock and CPU seconds of one stage.</summary>
internal readonly record struct StageTime(double Wall, double Cpu)
{
    public static StageTime operator +(StageTime a, StageTime b) => new(a.Wall + b.Wall, a.Cpu + b.Cpu);

    public static StageTime operator -(StageTime a, StageTime b) => new(a.Wall - b.Wall, a.Cpu - b.Cpu);

    /// <summary>Runs <paramref name="action"/> and returns its result with the time it took.</summary>
    public static async Task<(T Result, StageTime Time)> MeasureAsync<T>(Func<Task<T>> action)
    {
        var wall = System.Diagnostics.Stopwatch.StartNew();
        var cpu = CpuClock.Now();
        var result = await action();
        return (result, new StageTime(wall.Elapsed.TotalSeconds, CpuClock.Now() - cpu));
    }
}
