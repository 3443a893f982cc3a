namespace LxAnnotate.Hub.Processing.Tools;

/// <summary>Outcome of a successful tool run (exit status 0).</summary>
/// <param name="Stdout">Standard output, at most <see cref="ToolLimits.MaxStdoutBytes"/> bytes.</param>
/// <param name="StderrTail">The last few KiB of standard error; may hold sensitive data, never log it.</param>
/// <param name="Elapsed">Wall-clock time of the run.</param>
internal sealed record ToolResult(byte[] Stdout, string StderrTail, TimeSpan Elapsed);
