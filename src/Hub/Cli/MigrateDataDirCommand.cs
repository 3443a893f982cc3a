using System.CommandLine;
using LxAnnotate.Hub.DataDir;
using LxAnnotate.Shared.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LxAnnotate.Hub.Cli;

/// <summary>
/// <c>lxa-hub migrate-data-dir SOURCE [--merge] [--dry-run]</c>: moves (or merges) an old data directory into the
/// configured data root (<c>LX_ANNOTATE_ENCRYPTED_DATA_DIR</c>).
/// </summary>
internal static class MigrateDataDirCommand
{
    /// <param name="name">The verb: its place in a group, or its former top-level spelling.</param>
    public static Command Create(string name)
    {
        var source = new Argument<string>("SOURCE") { Description = "The old data directory." };
        var merge = new Option<bool>("--merge")
        {
            Description = "Copy only what the target lacks; never overwrite or delete; safe to repeat.",
        };
        var dryRun = new Option<bool>("--dry-run") { Description = "Say what would be done; change nothing." };
        var command = new Command(
            name,
            "Move an old data directory into the configured data root (verified copy, source kept as a backup), or merge what is missing with --merge.");
        command.Arguments.Add(source);
        command.Options.Add(merge);
        command.Options.Add(dryRun);
        command.SetAction((parseResult, cancellationToken) => CliHost.RunAsync(parseResult, async (services, ct) =>
        {
            var target = services.GetRequiredService<DataPaths>().Root;
            var migrator = new DataDirMigrator(Console.Out, TimeProvider.System);
            try
            {
                if (parseResult.GetValue(merge))
                {
                    await migrator.MergeAsync(parseResult.GetValue(source)!, target, parseResult.GetValue(dryRun), ct);
                }
                else
                {
                    await migrator.FullAsync(parseResult.GetValue(source)!, target, parseResult.GetValue(dryRun), ct);
                }
            }
            catch (DataDirMigrationException ex)
            {
                await HubCli.Convention.WriteErrorAsync($"{ex.Message}");
                return 1;
            }

            return 0;
        }, cancellationToken));
        return command;
    }
}
