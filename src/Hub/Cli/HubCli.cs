using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;

namespace LxAnnotate.Hub.Cli;

/// <summary>The <c>lxa-hub</c> command tree.</summary>
internal static class HubCli
{
    /// <summary>Exit code of a command line that does not parse (unknown command, missing option).</summary>
    public const int UsageErrorExitCode = 1;

    public static RootCommand Build()
    {
        var root = new RootCommand("lxa-hub: the LxAnnotate central hub and its operator commands.");
        root.Options.Add(CliHost.EnvFileOption);
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(MigrateCommand.Create());
        root.Subcommands.Add(CheckConfigCommand.Create());
        root.Subcommands.Add(CheckCommand.Create());
        root.Subcommands.Add(InitDataDirCommand.Create());
        root.Subcommands.Add(MigrateDataDirCommand.Create());
        root.Subcommands.Add(CentersCommand.Create());
        root.Subcommands.Add(NodesCommand.Create());
        root.Subcommands.Add(EncryptedCommand.Create());
        root.Subcommands.Add(VerifyEncryptedStorageCommand.Create());
        root.Subcommands.Add(ReencryptCommand.Create());
        root.Subcommands.Add(TransferKeysCommand.Create());
        root.Subcommands.Add(WorkerCommand.Create());
        root.Subcommands.Add(JobsCommand.Create());
        root.Subcommands.Add(ProcessorsCommand.Create());
        return root;
    }

    /// <summary>
    /// Parses and runs. A command line that does not parse is one <c>lxa-hub: …</c> line on stderr, like
    /// every other error, instead of the parser's multi-line help: scripts that drive the operator
    /// commands read one line.
    /// </summary>
    public static async Task<int> InvokeAsync(string[] args)
    {
        var parseResult = Build().Parse(args);
        if (parseResult.Action is ParseErrorAction)
        {
            var errors = string.Join(" ", parseResult.Errors.Select(e => e.Message));
            await Console.Error.WriteLineAsync($"lxa-hub: {errors} (see '{CommandPath(parseResult)} --help')");
            return UsageErrorExitCode;
        }

        return await parseResult.InvokeAsync();
    }

    private static string CommandPath(ParseResult parseResult)
    {
        var names = new List<string>();
        for (var result = parseResult.CommandResult; result is not null; result = result.Parent as CommandResult)
        {
            names.Add(result.Parent is null ? "lxa-hub" : result.Command.Name);
        }

        names.Reverse();
        return string.Join(' ', names);
    }
}
