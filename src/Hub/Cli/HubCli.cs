using System.CommandLine;

namespace LxAnnotate.Hub.Cli;

/// <summary>The <c>lxa-hub</c> command tree.</summary>
internal static class HubCli
{
    public static RootCommand Build()
    {
        var root = new RootCommand("lxa-hub: the LxAnnotate central hub and its operator commands.");
        root.Options.Add(CliHost.EnvFileOption);
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(MigrateCommand.Create());
        root.Subcommands.Add(CheckConfigCommand.Create());
        return root;
    }
}
