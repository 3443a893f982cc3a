using System.Diagnostics;
using System.Globalization;

namespace LxAnnotate.Hub.Processing.Tools;

/// <summary>
/// Runs external tools (ffmpeg, ffprobe, tesseract, pdftoppm) with bounds so that a hung, crashing or
/// memory-hungry tool cannot take its caller down:
/// <list type="bullet">
/// <item>memory and CPU: the tool is started through util-linux <c>prlimit --as=… --cpu=… --core=0 --</c>,
/// which sets the rlimits on itself and then <c>exec</c>s the tool, so the limits cover the tool and its
/// children from the first instruction, with no shell and no quoting (arguments go through
/// <see cref="ProcessStartInfo.ArgumentList"/>);</item>
/// <item>time: past <see cref="ToolLimits.Timeout"/> (or on cancellation) the whole process tree is killed;</item>
/// <item>output: standard output is capped, standard error is kept as a bounded tail and never logged
/// (it can contain file names and media metadata).</item>
/// </list>
/// Failures are <see cref="ExternalToolException"/> with a <see cref="ExternalToolFailure"/> class.
/// </summary>
internal sealed partial class ToolRunner(ILogger<ToolRunner> logger)
{
    private static readonly string[] PrlimitCandidates = ["/usr/bin/prlimit", "/bin/prlimit"];

    /// <summary>
    /// Runs <paramref name="tool"/> (a name looked up on <c>PATH</c>, or an absolute path) with
    /// <paramref name="arguments"/> under <paramref name="limits"/>; returns its output on exit status 0.
    /// </summary>
    /// <exception cref="ExternalToolException">The tool is missing, timed out, crashed, exited non-zero or wrote too much.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (the tree is killed first).</exception>
    public Task<ToolResult> RunAsync(string tool, IReadOnlyList<string> arguments, ToolLimits limits,
        CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        return RunCoreAsync(tool, ToolArguments.FromList(arguments), limits, environment, cancellationToken);
    }

    /// <summary>
    /// Runs <paramref name="tool"/> with a command line built by FFMpegCore (<c>FFMpegArguments….Arguments</c>) under
    /// <paramref name="limits"/>, exactly as <see cref="RunAsync(string, IReadOnlyList{string}, ToolLimits, CancellationToken, IReadOnlyDictionary{string, string}?)"/>
    /// does. The text is split into arguments by .NET's own rules (<see cref="ProcessStartInfo.Arguments"/>, the way
    /// FFMpegCore would start the tool itself); no shell ever sees it.
    /// </summary>
    /// <exception cref="ExternalToolException">The tool is missing, timed out, crashed, exited non-zero or wrote too much.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (the tree is killed first).</exception>
    public Task<ToolResult> RunCommandLineAsync(string tool, string commandLine, ToolLimits limits, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(commandLine);
        return RunCoreAsync(tool, ToolArguments.FromCommandLine(commandLine), limits, environment: null, cancellationToken);
    }

    private async Task<ToolResult> RunCoreAsync(string tool, ToolArguments arguments, ToolLimits limits,
        IReadOnlyDictionary<string, string>? environment, CancellationToken cancellationToken)
    {
        var toolPath = ResolveExecutable(tool)
            ?? throw new ExternalToolException(tool, ExternalToolFailure.NotFound, $"external tool '{tool}' is not installed (not found on PATH)");
        var prlimit = Array.Find(PrlimitCandidates, File.Exists)
            ?? throw new ExternalToolException(tool, ExternalToolFailure.NotFound, "'prlimit' (util-linux) is required to bound external tools and is not installed");

        var start = StartInfo(prlimit, toolPath, arguments, limits, environment);
        var stopwatch = Stopwatch.StartNew();
        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new ExternalToolException(tool, ExternalToolFailure.NotFound, $"external tool '{tool}' could not be started", inner: e);
        }
        process.StandardInput.Close();

        var stdoutTask = ToolOutput.ReadBoundedAsync(process.StandardOutput.BaseStream, limits.MaxStdoutBytes);
        var stderrTask = ToolOutput.ReadTailAsync(process.StandardError);
        await WaitOrKillAsync(process, tool, limits, stdoutTask, stderrTask, cancellationToken).ConfigureAwait(false);

        var (stdout, overflow) = await stdoutTask.ConfigureAwait(false);
        var stderr = await stderrTask.ConfigureAwait(false);
        stopwatch.Stop();
        ThrowOnFailure(tool, limits, process.ExitCode, overflow, stderr);
        LogToolFinished(logger, tool, (long)stopwatch.Elapsed.TotalMilliseconds);
        return new ToolResult(stdout, stderr, stopwatch.Elapsed);
    }

    /// <summary>Finds <paramref name="tool"/> on <c>PATH</c> (or checks an absolute path); null when missing.</summary>
    public static string? ResolveExecutable(string tool)
    {
        if (tool.Contains('/', StringComparison.Ordinal))
        {
            return File.Exists(tool) ? tool : null;
        }
        var path = Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin";
        foreach (var directory in path.Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, tool);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    /// <summary><c>prlimit --as=… --cpu=… --core=0 -- tool arguments…</c>, with every stream redirected and no shell.</summary>
    private static ProcessStartInfo StartInfo(string prlimit, string toolPath, ToolArguments arguments, ToolLimits limits,
        IReadOnlyDictionary<string, string>? environment)
    {
        var start = new ProcessStartInfo(prlimit)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        string[] bounds =
        [
            string.Create(CultureInfo.InvariantCulture, $"--as={limits.MaxAddressSpaceBytes}"),
            string.Create(CultureInfo.InvariantCulture, $"--cpu={Math.Max(1, limits.MaxCpuSeconds)}"),
            "--core=0",
            "--",
            toolPath,
        ];
        arguments.ApplyTo(start, bounds);
        if (environment is not null)
        {
            foreach (var (key, value) in environment)
            {
                start.Environment[key] = value;
            }
        }

        return start;
    }

    /// <summary>Waits for the exit; on timeout or cancellation kills the tree, then rethrows the cancellation or throws the timeout.</summary>
    private async Task WaitOrKillAsync(Process process, string tool, ToolLimits limits,
        Task<(byte[] Data, bool Overflow)> stdoutTask, Task<string> stderrTask, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(limits.Timeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await process.WaitForExitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            KillTree(process);
            await ToolOutput.DrainAsync(stdoutTask, stderrTask).ConfigureAwait(false);
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            LogToolFailed(logger, tool, ExternalToolFailure.TimedOut, null);
            throw new ExternalToolException(tool, ExternalToolFailure.TimedOut,
                string.Create(CultureInfo.InvariantCulture, $"external tool '{tool}' did not finish within {limits.Timeout.TotalSeconds:0} s and was killed"),
                stderrTail: await ToolOutput.TailOrEmptyAsync(stderrTask).ConfigureAwait(false));
        }
    }

    /// <summary>Too much output, a signal or a non-zero status is an <see cref="ExternalToolException"/>, logged without stderr.</summary>
    private void ThrowOnFailure(string tool, ToolLimits limits, int exitCode, bool overflow, string stderr)
    {
        if (overflow)
        {
            LogToolFailed(logger, tool, ExternalToolFailure.OutputTooLarge, exitCode);
            throw new ExternalToolException(tool, ExternalToolFailure.OutputTooLarge,
                string.Create(CultureInfo.InvariantCulture, $"external tool '{tool}' wrote more than {limits.MaxStdoutBytes} bytes of output"), exitCode, stderr);
        }
        if (exitCode > 128 && exitCode < 128 + 65)
        {
            var signal = exitCode - 128;
            LogToolFailed(logger, tool, ExternalToolFailure.Crashed, exitCode);
            throw new ExternalToolException(tool, ExternalToolFailure.Crashed,
                $"external tool '{tool}' was killed by {SignalName(signal)}{SignalHint(signal)}", exitCode, stderr);
        }
        if (exitCode != 0)
        {
            LogToolFailed(logger, tool, ExternalToolFailure.NonZeroExit, exitCode);
            throw new ExternalToolException(tool, ExternalToolFailure.NonZeroExit,
                string.Create(CultureInfo.InvariantCulture, $"external tool '{tool}' exited with status {exitCode}"), exitCode, stderr);
        }
    }

    private static void KillTree(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // Exited between the check and the kill.
        }
        // Reap it so no zombie is left; bounded because SIGKILL cannot be ignored.
        process.WaitForExit(TimeSpan.FromSeconds(10));
    }

    private static string SignalName(int signal) => signal switch
    {
        6 => "SIGABRT",
        9 => "SIGKILL",
        11 => "SIGSEGV",
        15 => "SIGTERM",
        24 => "SIGXCPU",
        _ => string.Create(CultureInfo.InvariantCulture, $"signal {signal}"),
    };

    private static string SignalHint(int signal) => signal switch
    {
        24 => " (CPU time limit reached)",
        9 => " (CPU time limit or out-of-memory kill)",
        6 => " (often a failed allocation under the memory limit)",
        _ => "",
    };

    [LoggerMessage(EventId = 8001, Level = LogLevel.Debug, Message = "external tool {Tool} finished in {ElapsedMs} ms")]
    private static partial void LogToolFinished(ILogger logger, string tool, long elapsedMs);

    [LoggerMessage(EventId = 8002, Level = LogLevel.Warning, Message = "external tool {Tool} failed: {Failure} exit={ExitCode}")]
    private static partial void LogToolFailed(ILogger logger, string tool, ExternalToolFailure failure, int? exitCode);
}
