using System.CommandLine;
using System.Text.Json;
using LxAnnotate.Hub.DataDir;
using LxAnnotate.Shared.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LxAnnotate.Hub.Cli;

/// <summary>
/// <c>lxa-hub check [--json]</c>: the readiness of the protected runtime tree, one line per finding. Exit 0
/// without critical findings, <see cref="CriticalExitCode"/> with any, 2 for a configuration error.
/// </summary>
internal static class CheckCommand
{
    public const int CriticalExitCode = 1;

    /// <param name="name">The verb: its place in a group, or its former top-level spelling.</param>
    public static Command Create(string name)
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON document instead of one line per finding." };
        var command = new Command(name, "Check the protected data tree: directories, access of this user, modes, STORAGE_DIR inside the root, one filesystem for storage.");
        command.Options.Add(json);
        command.SetAction((parseResult, cancellationToken) => CliHost.RunAsync(parseResult, (services, _) =>
        {
            var paths = services.GetRequiredService<DataPaths>();
            var report = CheckReport.From(new DataTreeInspector(paths).Inspect());
            if (parseResult.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(report, DataTreeJson.Default.CheckReport));
            }
            else
            {
                foreach (var finding in report.Findings)
                {
                    Console.WriteLine($"{finding.Severity,-8} {finding.Check} {finding.Name} {finding.Path}: {finding.Message}");
                }

                Console.WriteLine($"{report.Critical} critical, {report.Warnings} warning(s)");
            }

            return Task.FromResult(report.Ok ? 0 : CriticalExitCode);
        }, cancellationToken));
        return command;
    }
}
