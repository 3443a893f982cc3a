using LxAnnotate.Hub.Processing.Tools;
using Microsoft.Extensions.Logging;

namespace LxAnnotate.Bench.Ocr;

/// <summary>Collects the runner's "tool finished" events (tool name, wall milliseconds) to split a stage by tool run.</summary>
internal sealed class ToolTimeLog : ILogger<ToolRunner>
{
    private const int ToolFinishedEvent = 8001;
    private readonly List<(string Tool, double Seconds)> runs = [];

    public int Count
    {
        get
        {
            lock (runs)
            {
                return runs.Count;
            }
        }
    }

    /// <summary>The runs logged from <paramref name="start"/> on, in order.</summary>
    public IReadOnlyList<(string Tool, double Seconds)> Since(int start)
    {
        lock (runs)
        {
            return runs.Skip(start).ToList();
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (eventId.Id != ToolFinishedEvent || state is not IReadOnlyList<KeyValuePair<string, object?>> values)
        {
            return;
        }
        var tool = values.FirstOrDefault(v => v.Key == "Tool").Value as string ?? "?";
        var ms = values.FirstOrDefault(v => v.Key == "ElapsedMs").Value is long elapsed ? elapsed : 0;
        lock (runs)
        {
            runs.Add((Path.GetFileName(tool), ms / 1000.0));
        }
    }
}
