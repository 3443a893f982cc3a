using LxAnnotate.Hub.Processing.Tools;
using Microsoft.Extensions.Logging.Abstractions;

namespace LxAnnotate.Hub.Tests.Processing.Tools;

public sealed class ToolRunnerTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);
    private readonly ToolRunner runner = new(NullLogger<ToolRunner>.Instance);

    [Fact]
    public async Task RunAsync_Success_ReturnsStdout()
    {
        var result = await runner.RunAsync("sh", ["-c", "printf hello"], ToolLimits.Short, CancellationToken.None).WaitAsync(Timeout);

        Assert.Equal("hello", System.Text.Encoding.UTF8.GetString(result.Stdout));
    }

    [Fact]
    public async Task RunAsync_NonZeroExit_ThrowsWithStatusAndKeepsStderrOutOfMessage()
    {
        var e = await Assert.ThrowsAsync<ExternalToolException>(() =>
            runner.RunAsync("sh", ["-c", "echo Mustermann >&2; exit 3"], ToolLimits.Short, CancellationToken.None).WaitAsync(Timeout));

        Assert.Equal(ExternalToolFailure.NonZeroExit, e.Failure);
        Assert.Equal(3, e.ExitCode);
        Assert.Contains("status 3", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Mustermann", e.Message, StringComparison.Ordinal);
        Assert.Contains("Mustermann", e.StderrTail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_MissingTool_ThrowsNotFound()
    {
        var e = await Assert.ThrowsAsync<ExternalToolException>(() =>
            runner.RunAsync("lxa-no-such-tool", [], ToolLimits.Short, CancellationToken.None).WaitAsync(Timeout));

        Assert.Equal(ExternalToolFailure.NotFound, e.Failure);
    }

    [Fact]
    public async Task RunAsync_Timeout_KillsWholeProcessTree()
    {
        using var temp = new LxAnnotate.TestSupport.TempDirectory();
        var pidFile = temp.Combine("child.pid");
        var limits = ToolLimits.Short with { Timeout = TimeSpan.FromSeconds(1) };

        var e = await Assert.ThrowsAsync<ExternalToolException>(() =>
            runner.RunAsync("sh", ["-c", $"sleep 60 & echo $! > {pidFile}; wait"], limits, CancellationToken.None).WaitAsync(Timeout));

        Assert.Equal(ExternalToolFailure.TimedOut, e.Failure);
        var childPid = int.Parse(await File.ReadAllTextAsync(pidFile), System.Globalization.CultureInfo.InvariantCulture);
        var gone = false;
        for (var i = 0; i < 50 && !gone; i++)
        {
            gone = !Directory.Exists($"/proc/{childPid}") || (await File.ReadAllTextAsync($"/proc/{childPid}/stat")).Contains(") Z ", StringComparison.Ordinal);
            if (!gone)
            {
                await Task.Delay(100);
            }
        }
        Assert.True(gone, "the child of the timed-out tool is still running");
    }

    [Fact]
    public async Task RunAsync_OverMemoryLimit_FailsWithoutHarmingCaller()
    {
        var limits = ToolLimits.Short with { MaxAddressSpaceBytes = 200L * 1024 * 1024 };

        var e = await Assert.ThrowsAsync<ExternalToolException>(() =>
            runner.RunAsync("/usr/bin/python3", ["-c", "x = bytearray(400 * 1024 * 1024)"], limits, CancellationToken.None).WaitAsync(Timeout));

        Assert.Contains(e.Failure, new[] { ExternalToolFailure.NonZeroExit, ExternalToolFailure.Crashed });
        Assert.Contains("MemoryError", e.StderrTail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_OverCpuLimit_IsReportedAsCrash()
    {
        var limits = ToolLimits.Short with { MaxCpuSeconds = 1 };

        var e = await Assert.ThrowsAsync<ExternalToolException>(() =>
            runner.RunAsync("sh", ["-c", "while :; do :; done"], limits, CancellationToken.None).WaitAsync(Timeout));

        Assert.Equal(ExternalToolFailure.Crashed, e.Failure);
        Assert.Contains("CPU time limit", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_TooMuchOutput_ThrowsOutputTooLarge()
    {
        var limits = ToolLimits.Short with { MaxStdoutBytes = 1000 };

        var e = await Assert.ThrowsAsync<ExternalToolException>(() =>
            runner.RunAsync("head", ["-c", "200000", "/dev/zero"], limits, CancellationToken.None).WaitAsync(Timeout));

        Assert.Equal(ExternalToolFailure.OutputTooLarge, e.Failure);
    }

    [Fact]
    public async Task RunAsync_Cancelled_ThrowsOperationCanceled()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            runner.RunAsync("sleep", ["30"], ToolLimits.Short, cts.Token).WaitAsync(Timeout));
    }
}
