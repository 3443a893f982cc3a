using System.CommandLine;

namespace LxAnnotate.Hub.Cli;

/// <summary><c>lxa-hub data-dir init|check|migrate</c>: the protected data tree.</summary>
internal static class DataDirCommand
{
    public static Command Create()
    {
        var command = new Command(
            "data-dir",
            "The protected data tree: create it (init), check it (check), move an old one in (migrate). The former verbs init-data-dir, check and migrate-data-dir still work.");
        command.Subcommands.Add(InitDataDirCommand.Create("init"));
        command.Subcommands.Add(CheckCommand.Create("check"));
        command.Subcommands.Add(MigrateDataDirCommand.Create("migrate"));
        return command;
    }
}
