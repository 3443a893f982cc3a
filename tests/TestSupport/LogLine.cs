using Microsoft.Extensions.Logging;

namespace LxAnnotate.TestSupport;

public sealed record LogLine(string Category, LogLevel Level, int EventId, string Message);
