using System.Globalization;
using System.Text;
using LxAnnotate.Hub.Processing.Tools;
using LxAnnotate.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace LxAnnotate.Hub.Tests.Processing.Tools;

/// <summary>FFMpegCore's command-line text run by <see cref="ToolRunner"/>: same bounds, no shell, quoting kept.</summary>
public sealed class ToolCommandLineTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);
    private readonly ToolRunner runner = new(NullLogger<ToolRunner>.Instance);
    private readonly TempDirectory dir = new();

    [Fact]
    public async Task RunCommandLineAsync_QuotedArguments_ReachTheToolWhole()
    {
        var tool = await ScriptAsync("in dir", "printf '[%s]' \"$@\"");

        var result = await runner.RunCommandLineAsync(tool, "-i \"/a b/c.mp4\" -vf \"x=1, y=2\" $HOME;`id`", ToolLimits.Short, CancellationToken.None)
            .WaitAsync(Timeout);

        Assert.Equal("[-i][/a b/c.mp4][-vf][x=1, y=2][$HOME;`id`]", Encoding.UTF8.GetString(result.Stdout));
    }

    [Fact]
    public async Task RunCommandLineAsync_RunsUnderMemoryAndCpuLimits()
    {
        var tool = await ScriptAsync("limits", "echo \"$(ulimit -v) $(ulimit -t)\"");
        var limits = new ToolLimits(TimeSpan.FromSeconds(30), 300L * 1024 * 1024, 17);

        var result = await runner.RunCommandLineAsync(tool, "-version", limits, CancellationToken.None).WaitAsync(Timeout);

        Assert.Equal(string.Create(CultureInfo.InvariantCulture, $"{300 * 1024} 17\n"), Encoding.UTF8.GetString(result.Stdout));
    }

    [Fact]
    public async Task RunCommandLineAsync_Timeout_KillsTheTool()
    {
        var tool = await ScriptAsync("hang", "exec sleep 60");
        var limits = ToolLimits.Short with { Timeout = TimeSpan.FromSeconds(1) };

        var e = await Assert.ThrowsAsync<ExternalToolException>(() => runner.RunCommandLineAsync(tool, "-y", limits, CancellationToken.None).WaitAsync(Timeout));

        Assert.Equal(ExternalToolFailure.TimedOut, e.Failure);
    }

    [Fact]
    public async Task RunCommandLineAsync_Cancelled_ThrowsOperationCanceled()
    {
        var tool = await ScriptAsync("slow", "exec sleep 60");
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => runner.RunCommandLineAsync(tool, "-y", ToolLimits.Short, cts.Token).WaitAsync(Timeout));
    }

    public void Dispose() => dir.Dispose();

    // An executable script in a folder whose name has a space, so the tool path itself needs quoting.
    private async Task<string> ScriptAsync(string folder, string body)
    {
        var tools = Directory.CreateDirectory(Path.Combine(dir.Path, folder, "tools dir")).FullName;
        var script = Path.Combine(tools, "fake tool");
        await File.WriteAllTextAsync(script, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return script;
    }
}
