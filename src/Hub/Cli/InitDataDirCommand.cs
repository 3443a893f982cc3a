using System.CommandLine;
using System.Text.Json;
using LxAnnotate.Hub.DataDir;
using LxAnnotate.Shared.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LxAnnotate.Hub.Cli;

/// <summary>
/// <c>lxa-hub init-data-dir [--json]</c>: creates the protected data tree with its documented modes
/// (<see cref="DataTreeInitializer"/>). Exit 0 when every directory is in place, 1 when a path is taken by a file.
/// </summary>
internal static class InitDataDirCommand
{
    public const int RefusedExitCode = 1;

    /// <param name="name">The verb: its place in a group, or its former top-level spelling.</param>
    public static Command Create(string name)
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON document instead of one line per directory." };
        var tmpfiles = new Option<bool>("--tmpfiles") { Description = "Change nothing; print the tree as systemd tmpfiles.d lines (for deploy/tmpfiles.d/lx-annotate.conf)." };
        var user = new Option<string>("--user") { Description = "Owner in the --tmpfiles lines.", DefaultValueFactory = _ => "lx-annotate" };
        var group = new Option<string>("--group") { Description = "Group in the --tmpfiles lines.", DefaultValueFactory = _ => "lx-annotate" };
        var command = new Command(name, "Create the protected data tree with the documented modes; idempotent, never deletes or loosens.");
        command.Options.Add(json);
        command.Options.Add(tmpfiles);
        command.Options.Add(user);
        command.Options.Add(group);
        command.SetAction((parseResult, cancellationToken) => CliHost.RunAsync(parseResult, async (services, _) =>
        {
            var paths = services.GetRequiredService<DataPaths>();
            if (parseResult.GetValue(tmpfiles))
            {
                foreach (var line in DataTreeTmpfiles.Lines(paths, parseResult.GetValue(user)!, parseResult.GetValue(group)!))
                {
                    Console.WriteLine(line);
                }

                return 0;
            }

            IReadOnlyList<DataTreeStep> steps;
            try
            {
                steps = DataTreeInitializer.Apply(paths);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                await HubCli.Convention.WriteErrorAsync($"data-dir init failed: {ex.Message}");
                return RefusedExitCode;
            }

            var report = InitReport.From(steps);
            if (parseResult.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(report, DataTreeJson.Default.InitReport));
            }
            else
            {
                foreach (var step in steps)
                {
                    Console.WriteLine(step.ToString());
                }
            }

            return report.Ok ? 0 : RefusedExitCode;
        }, cancellationToken));
        return command;
    }
}
