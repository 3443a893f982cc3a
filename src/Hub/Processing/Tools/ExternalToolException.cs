namespace LxAnnotate.Hub.Processing.Tools;

/// <summary>
/// An external tool run failed. <see cref="Exception.Message"/> names the tool, the failure and the exit
/// status only; <see cref="StderrTail"/> keeps the end of the tool's standard error, which can contain file
/// names or media metadata, so it must never be logged (store it only where sensitive data may go).
/// </summary>
internal sealed class ExternalToolException : Exception
{
    public ExternalToolException(string tool, ExternalToolFailure failure, string message, int? exitCode = null, string stderrTail = "", Exception? inner = null)
        : base(message, inner)
    {
        Tool = tool;
        Failure = failure;
        ExitCode = exitCode;
        StderrTail = stderrTail;
    }

    /// <summary>Tool name as invoked (e.g. <c>ffmpeg</c>).</summary>
    public string Tool { get; }

    /// <summary>Failure class.</summary>
    public ExternalToolFailure Failure { get; }

    /// <summary>Exit status when the tool ended by itself (128 + signal for a signal).</summary>
    public int? ExitCode { get; }

    /// <summary>The last few KiB of standard error; may hold sensitive data, never log it.</summary>
    public string StderrTail { get; }
}
