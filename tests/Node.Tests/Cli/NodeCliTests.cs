using LxAnnotate.Node.Cli;

namespace LxAnnotate.Node.Tests.Cli;

public sealed class NodeCliTests
{
    [Fact]
    public void Parse_CheckConfig_HasNoErrors()
    {
        Assert.Empty(NodeCli.Build().Parse(["check-config", "--env-file", "/tmp/x.env"]).Errors);
    }

    [Fact]
    public void Parse_UnknownCommand_ReportsIt()
    {
        Assert.NotEmpty(NodeCli.Build().Parse(["serve-everything"]).Errors);
    }
}
