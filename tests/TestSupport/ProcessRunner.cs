using System.Diagnostics;

namespace LxAnnotate.TestSupport;

/// <summary>Runs a program (a built .NET binary, a script) to completion with a controlled environment and a time limit.</summary>
public static class ProcessRunner
{
    /// <summary>Variables of the configuration contract; removed from the inherited environment so only the test's values count.</summary>
    private static readonly string[] ContractPrefixes = ["LX_ANNOTATE_", "DATA_DIR", "STORAGE_DIR", "DATABASE_URL", "DJANGO_", "XDG_DATA_HOME", "ENDOREG_", "ENFORCE_AUTH", "OIDC_", "LXA_", "WATCHER_"];

    public static Task<ProcessResult> RunDotnetAsync(
        string assemblyPath,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string?> environment,
        TimeSpan? timeout = null)
    {
        var (program, leading) = Binaries.StartCommand(assemblyPath);
        return RunAsync(program, [.. leading, .. arguments], environment, timeout);
    }

    /// <summary>Removes the contract variables inherited from the test process, then sets the test's own.</summary>
    public static void ApplyEnvironment(ProcessStartInfo start, IReadOnlyDictionary<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(environment);
        foreach (var key in start.Environment.Keys.ToList())
        {
            if (ContractPrefixes.Any(p => key.StartsWith(p, StringComparison.Ordinal)))
            {
                start.Environment.Remove(key);
            }
        }

        foreach (var (key, value) in environment)
        {
            if (value is null)
            {
                start.Environment.Remove(key);
            }
            else
            {
                start.Environment[key] = value;
            }
        }
    }

    public static async Task<ProcessResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string?> environment,
        TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        ApplyEnvironment(start, environment);

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', start.ArgumentList)} did not finish in time.");
        }

        return new ProcessResult(process.ExitCode, await stdout, await stderr);
    }
}
