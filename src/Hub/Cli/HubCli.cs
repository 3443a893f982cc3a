using System.CommandLine;
using LxAnnotate.Shared.Cli;

namespace LxAnnotate.Hub.Cli;

/// <summary>The <c>lxa-hub</c> command tree.</summary>
internal static class HubCli
{
    public static readonly CliConvention Convention = new("lxa-hub");

    public static RootCommand Build()
    {
        var root = Convention.CreateRoot("lxa-hub: the LxAnnotate central hub and its operator commands.");
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(MigrateCommand.Create());
        root.Subcommands.Add(CheckConfigCommand.Create());
        root.Subcommands.Add(DataDirCommand.Create());
        root.Subcommands.Add(CentersCommand.Create());
        root.Subcommands.Add(NodesCommand.Create());
        root.Subcommands.Add(EncryptedCommand.Create());
        root.Subcommands.Add(TransferKeysCommand.Create());
        root.Subcommands.Add(WorkerCommand.Create());
        root.Subcommands.Add(JobsCommand.Create());
        root.Subcommands.Add(ProcessorsCommand.Create());
        root.Subcommands.Add(ImportPythonCommand.Create());

        // The spellings before the verbs were grouped, kept (hidden) so operators' scripts keep working.
        CliConvention.AddHiddenAlias(root, CheckCommand.Create("check"));
        CliConvention.AddHiddenAlias(root, InitDataDirCommand.Create("init-data-dir"));
        CliConvention.AddHiddenAlias(root, MigrateDataDirCommand.Create("migrate-data-dir"));
        CliConvention.AddHiddenAlias(root, VerifyEncryptedStorageCommand.Create("verify-encrypted-storage"));
        CliConvention.AddHiddenAlias(root, ReencryptCommand.Create("reencrypt"));
        return root;
    }

    /// <summary>
    /// Parses and runs. A command line that does not parse is one <c>lxa-hub: …</c> line on stderr, like
    /// every other error, instead of the parser's multi-line help: scripts that drive the operator
    /// commands read one line.
    /// </summary>
    public static Task<int> InvokeAsync(string[] args) => Convention.InvokeAsync(Build(), args);
}
