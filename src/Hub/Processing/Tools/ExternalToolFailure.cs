namespace LxAnnotate.Hub.Processing.Tools;

/// <summary>Why an external tool run failed.</summary>
internal enum ExternalToolFailure
{
    /// <summary>The tool (or <c>prlimit</c>) is not installed or not executable.</summary>
    NotFound,

    /// <summary>The wall-clock timeout passed; the process tree was killed.</summary>
    TimedOut,

    /// <summary>The tool was ended by a signal (crash, CPU limit, out-of-memory kill).</summary>
    Crashed,

    /// <summary>The tool exited with a non-zero status.</summary>
    NonZeroExit,

    /// <summary>The tool wrote more standard output than allowed.</summary>
    OutputTooLarge,
}
