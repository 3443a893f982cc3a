using LxAnnotate.Hub.Cli;

namespace LxAnnotate.Hub.Tests.Cli;

public sealed class HubCliTests
{
    [Theory]
    [InlineData("migrate")]
    [InlineData("check-config")]
    [InlineData("--env-file", "/tmp/x.env", "migrate")]
    [InlineData("migrate", "--env-file", "/tmp/x.env")]
    public void Parse_KnownCommand_HasNoErrors(params string[] args)
    {
        var result = HubCli.Build().Parse(args);

        Assert.Empty(result.Errors);
    }

    [Fact]
    public void Parse_UnknownCommand_ReportsIt()
    {
        var result = HubCli.Build().Parse(["migrat"]);

        Assert.Contains(result.Errors, e => e.Message.Contains("migrat", StringComparison.Ordinal));
    }
}
