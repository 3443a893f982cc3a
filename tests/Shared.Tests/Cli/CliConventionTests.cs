using System.CommandLine;
using LxAnnotate.Shared.Cli;
using LxAnnotate.Shared.Configuration;
using LxAnnotate.Shared.Tests.Support;

namespace LxAnnotate.Shared.Tests.Cli;

public sealed class CliConventionTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void EnvFileValues_OptionAfterTheVerb_ReadsTheFile()
    {
        var convention = new CliConvention("lxa-test");
        var root = convention.CreateRoot("test");
        root.Subcommands.Add(new Command("run"));
        var envFile = _temp.Combine("lxa.env");
        File.WriteAllText(envFile, "LX_ANNOTATE_DEFAULT_CENTER=center-a\nDJANGO_DB_PASSWORD=\"p w\"\n");

        var values = convention.EnvFileValues(root.Parse(["run", "--env-file", envFile]));

        Assert.NotNull(values);
        var map = values.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        Assert.Equal("center-a", map["LX_ANNOTATE_DEFAULT_CENTER"]);
        Assert.Equal("p w", map["DJANGO_DB_PASSWORD"]);
    }

    [Fact]
    public void EnvFileValues_NoOption_IsNull()
    {
        var convention = new CliConvention("lxa-test");
        var root = convention.CreateRoot("test");

        Assert.Null(convention.EnvFileValues(root.Parse([])));
    }

    [Fact]
    public async Task GuardAsync_ConfigurationError_ExitsTwo()
    {
        var convention = new CliConvention("lxa-test");

        var code = await convention.GuardAsync(() => throw new ConfigurationContractException("LX_ANNOTATE_DEFAULT_CENTER", "is not a valid center key"));

        Assert.Equal(CliConvention.ConfigurationErrorExitCode, code);
        Assert.Equal(2, code);
    }

    [Fact]
    public async Task GuardAsync_Success_ReturnsTheBodysCode()
    {
        var convention = new CliConvention("lxa-test");

        Assert.Equal(7, await convention.GuardAsync(() => Task.FromResult(7)));
    }

    [Fact]
    public async Task InvokeAsync_UnknownVerb_ExitsOneWithoutRunning()
    {
        var convention = new CliConvention("lxa-test");
        var root = convention.CreateRoot("test");
        var ran = false;
        var run = new Command("run");
        run.SetAction(_ => { ran = true; return 0; });
        root.Subcommands.Add(run);

        var code = await convention.InvokeAsync(root, ["rnu"]);

        Assert.Equal(CliConvention.UsageErrorExitCode, code);
        Assert.False(ran);
    }

    [Fact]
    public void AddHiddenAlias_FormerSpelling_ParsesButIsHidden()
    {
        var root = new CliConvention("lxa-test").CreateRoot("test");
        var group = new Command("data-dir");
        group.Subcommands.Add(new Command("init"));
        root.Subcommands.Add(group);

        CliConvention.AddHiddenAlias(root, new Command("init-data-dir"));

        var parsed = root.Parse(["init-data-dir"]);
        Assert.Empty(parsed.Errors);
        Assert.True(parsed.CommandResult.Command.Hidden);
        Assert.False(root.Parse(["data-dir", "init"]).CommandResult.Command.Hidden);
    }
}
