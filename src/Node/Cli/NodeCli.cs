using System.CommandLine;
using LxAnnotate.Shared.Cli;

namespace LxAnnotate.Node.Cli;

/// <summary>The <c>lxa-node</c> command tree.</summary>
internal static class NodeCli
{
    public static readonly CliConvention Convention = new("lxa-node");

    public static RootCommand Build()
    {
        var root = Convention.CreateRoot("lxa-node: the LxAnnotate site node and standalone worker.");
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(PushCommand.Create());
        root.Subcommands.Add(StatusCommand.Create());
        root.Subcommands.Add(CheckCommand.Create());
        root.Subcommands.Add(CheckConfigCommand.Create());
        root.Subcommands.Add(EnrollCommand.Create());
        root.Subcommands.Add(RenewCommand.Create());
        root.Subcommands.Add(SapImportCommand.Create());
        CliConvention.AddHiddenAlias(root, SapImportCommand.Create(SapImportCommand.OriginalVerb));
        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/> with the convention both binaries share.</summary>
    public static Task<int> InvokeAsync(string[] args) => Convention.InvokeAsync(Build(), args);

    /// <summary>Values of <c>--env-file</c>, if given, to layer over the process environment.</summary>
    public static IEnumerable<KeyValuePair<string, string?>>? EnvFileValues(ParseResult parseResult) =>
        Convention.EnvFileValues(parseResult);

    /// <summary>Runs <paramref name="body"/>; a configuration error becomes one line on stderr and exit code 2.</summary>
    public static Task<int> GuardAsync(Func<Task<int>> body) => Convention.GuardAsync(body);
}
