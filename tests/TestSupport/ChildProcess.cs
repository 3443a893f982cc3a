using System.Diagnostics;
using System.Text;

namespace LxAnnotate.TestSupport;

/// <summary>A long-running program started by a test: its output is collected; it can be SIGKILLed.</summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();

    private ChildProcess(Process process)
    {
        this.process = process;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

    public int Id => process.Id;

    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    /// <summary>
    /// Starts <c>dotnet ASSEMBLY args…</c> (or a native executable with its arguments) with exactly the contract
    /// variables of <paramref name="environment"/>.
    /// </summary>
    public static ChildProcess StartDotnet(string assemblyPath, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment)
    {
        var (program, leading) = Binaries.StartCommand(assemblyPath);
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var argument in leading.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        ProcessRunner.ApplyEnvironment(start, environment);
        return Start(start);
    }

    /// <summary>Starts a prepared program (stdout and stderr must be redirected).</summary>
    public static ChildProcess Start(ProcessStartInfo start) =>
        new(Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start."));

    /// <summary>SIGKILL: no shutdown code runs, as in a crash.</summary>
    public async Task KillAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>SIGTERM, then wait for a clean exit.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        if (!process.HasExited)
        {
            _ = Kill(process.Id, 15);
        }

        await process.WaitForExitAsync().WaitAsync(timeout);
        return process.ExitCode;
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        await process.WaitForExitAsync().WaitAsync(timeout);
        return process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        process.Dispose();
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }
}
