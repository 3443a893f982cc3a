using System.Text.Json;
using LxAnnotate.EndToEnd.Tests.Support;
using LxAnnotate.TestSupport;

namespace LxAnnotate.EndToEnd.Tests;

/// <summary><c>lxa-hub init-data-dir</c> and <c>lxa-hub check</c> through the real binary: exit codes, lines, JSON.</summary>
public sealed class DataTreeCommandsTests : IDisposable
{
    private readonly TempDirectory temp = new();
    private readonly Dictionary<string, string?> environment;

    public DataTreeCommandsTests()
    {
        environment = new Dictionary<string, string?>
        {
            ["ENDOREG_DEPLOYMENT_ROLE"] = "standalone",
            ["LX_ANNOTATE_ENCRYPTED_DATA_DIR"] = temp.Combine("data"),
        };
    }

    private string Root => temp.Combine("data");

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task Check_BeforeAndAfterInitDataDir_CriticalThenClean()
    {
        var before = await HubAsync("check");
        var init = await HubAsync("init-data-dir");
        var again = await HubAsync("init-data-dir", "--json");
        var after = await HubAsync("check", "--json");

        Assert.Equal(1, before.ExitCode);
        Assert.Contains(before.StandardOutput.Split('\n'), l => l.StartsWith("CRITICAL directory import/video_import ", StringComparison.Ordinal));
        Assert.Equal(0, init.ExitCode);
        Assert.Contains($"created   import/sap_import {Root}/import/sap_import 0770: created", init.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(0, again.ExitCode);
        using (var json = JsonDocument.Parse(again.StandardOutput))
        {
            Assert.All(json.RootElement.GetProperty("steps").EnumerateArray(), s => Assert.Equal("unchanged", s.GetProperty("action").GetString()));
        }

        Assert.Equal(0, after.ExitCode);
        using var report = JsonDocument.Parse(after.StandardOutput);
        Assert.True(report.RootElement.GetProperty("ok").GetBoolean());
        Assert.Equal(0, report.RootElement.GetProperty("critical").GetInt32());
        Assert.Contains(
            report.RootElement.GetProperty("findings").EnumerateArray(),
            f => f.GetProperty("check").GetString() == "mode" && f.GetProperty("name").GetString() == "import" && f.GetProperty("severity").GetString() == "OK");
    }

    [Fact]
    public async Task Check_DropFolderWorldWritable_ExitOneNamingPathAndModes()
    {
        Assert.Equal(0, (await HubAsync("init-data-dir")).ExitCode);
        File.SetUnixFileMode(Path.Combine(Root, "import", "report_import"), (UnixFileMode)Convert.ToInt32("777", 8));

        var result = await HubAsync("check");

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.StandardOutput.Split('\n'), l => l.StartsWith("CRITICAL", StringComparison.Ordinal));
        Assert.StartsWith($"CRITICAL mode import/report_import {Root}/import/report_import: 0777 is looser than the documented 0770", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InitDataDir_Tmpfiles_PrintsLinesAndCreatesNothing()
    {
        var result = await HubAsync("init-data-dir", "--tmpfiles", "--user", "lxa", "--group", "lxa-data");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"d {Root}/import/preanonymized_import 0770 lxa lxa-data -", result.StandardOutput, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Root));
    }

    [Fact]
    public async Task CheckConfig_StillWorks()
    {
        var result = await HubAsync("check-config");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"data root: {Root}", result.StandardOutput, StringComparison.Ordinal);
    }

    private Task<ProcessResult> HubAsync(params string[] arguments) => ProcessRunner.RunDotnetAsync(Binaries.Hub, arguments, environment);
}
