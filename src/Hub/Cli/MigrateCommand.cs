using System.CommandLine;
using LxAnnotate.Hub.Data;
using LxAnnotate.Shared.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LxAnnotate.Hub.Cli;

/// <summary><c>lxa-hub migrate</c>: applies the committed migrations of the configured database.</summary>
internal static class MigrateCommand
{
    public static Command Create()
    {
        var command = new Command("migrate", "Apply the database migrations; does nothing when the schema is current.");
        command.SetAction((parseResult, cancellationToken) => CliHost.RunAsync(parseResult, async (services, ct) =>
        {
            var database = services.GetRequiredService<DatabaseSettings>();

            // The SQLite file lives in the data root; creating the tree here makes a fresh install one command.
            services.GetRequiredService<DataPaths>().EnsureCreated();
            IReadOnlyList<string> applied;
            try
            {
                applied = await services.GetRequiredService<DatabaseMigrator>().MigrateAsync(ct);
            }
            catch (System.Data.Common.DbException ex)
            {
                // Provider messages name the server and the problem, never the password.
                await HubCli.Convention.WriteErrorAsync($"cannot migrate {database.SafeDescription}: {ex.Message.ReplaceLineEndings(" ")}");
                return 1;
            }

            Console.WriteLine(applied.Count == 0
                ? $"Schema of {database.SafeDescription} is current; nothing to apply."
                : $"Applied {applied.Count} migration(s) to {database.SafeDescription}: {string.Join(", ", applied)}");
            return 0;
        }, cancellationToken));
        return command;
    }
}
