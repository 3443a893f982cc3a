using System.CommandLine;
using LxAnnotate.Shared.Configuration;

namespace LxAnnotate.Node.Cli;

/// <summary>The <c>lxa-node</c> command tree.</summary>
internal static class NodeCli
{
    public const int ConfigurationErrorExitCode = 2;

    public static readonly Option<FileInfo?> EnvFileOption = new("--env-file")
    {
        Description = "Read variables from a systemd-style env file; its values win over the process environment.",
        Recursive = true,
    };

    public static RootCommand Build()
    {
        var root = new RootCommand("lxa-node: the LxAnnotate site node and standalone worker.");
        root.Options.Add(EnvFileOption);
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(PushCommand.Create());
        root.Subcommands.Add(StatusCommand.Create());
        root.Subcommands.Add(CheckCommand.Create());
        root.Subcommands.Add(CheckConfigCommand.Create());
        root.Subcommands.Add(EnrollCommand.Create());
        root.Subcommands.Add(RenewCommand.Create());
        root.Subcommands.Add(SapImportCommand.Create());
        return root;
    }

    /// <summary>Values of <c>--env-file</c>, if given, to layer over the process environment.</summary>
    public static IEnumerable<KeyValuePair<string, string?>>? EnvFileValues(ParseResult parseResult) =>
        parseResult.GetValue(EnvFileOption) is { } envFile
            ? EnvFile.Load(envFile.FullName).Select(p => KeyValuePair.Create(p.Key, (string?)p.Value)).ToList()
            : null;

    /// <summary>Runs <paramref name="body"/>; a configuration error becomes one line on stderr and exit code 2.</summary>
    public static async Task<int> GuardAsync(Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (ConfigurationContractException ex)
        {
            await Console.Error.WriteLineAsync($"lxa-node: {ex.Message}");
            return ConfigurationErrorExitCode;
        }
    }
}
