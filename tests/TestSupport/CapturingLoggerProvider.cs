using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace LxAnnotate.TestSupport;

/// <summary>Keeps every formatted log line, so tests can assert on audit events and on what never appears.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<LogLine> lines = new();

    public IReadOnlyCollection<LogLine> Lines => lines;

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class CapturingLogger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            ArgumentNullException.ThrowIfNull(formatter);
            owner.lines.Enqueue(new LogLine(category, logLevel, eventId.Id, formatter(state, exception) + (exception is null ? "" : " " + exception)));
        }
    }
}
