using System.CommandLine;
using LxAnnotate.Hub.Operators;
using LxAnnotate.Hub.Operators.Centers;

namespace LxAnnotate.Hub.Cli;

/// <summary><c>lxa-hub centers add|list</c>.</summary>
internal static class CentersCommand
{
    public static Command Create()
    {
        var command = new Command("centers", "Add and list centers (hospitals).");
        command.Subcommands.Add(Add());
        command.Subcommands.Add(List());
        return command;
    }

    private static Command Add()
    {
        var key = new Argument<string>("KEY") { Description = "The center_key: a-z, 0-9, '_' and '-', at most 64; it never changes." };
        var name = new Option<string>("--name") { Description = "The center's name.", Required = true };
        var displayName = new Option<string?>("--display-name") { Description = "A name for display, if it differs." };
        var json = OperatorCommand.JsonOption();
        var actor = OperatorCommand.ActorOption();
        var command = new Command("add", "Add a center.");
        command.Arguments.Add(key);
        command.Options.Add(name);
        command.Options.Add(displayName);
        command.Options.Add(json);
        command.Options.Add(actor);
        command.SetAction((parseResult, cancellationToken) => OperatorCommand.RunAsync(
            parseResult,
            json,
            (CenterOperations centers, CancellationToken ct) => centers.AddCenterAsync(
                parseResult.GetValue(key)!, parseResult.GetValue(name)!, parseResult.GetValue(displayName), OperatorCommand.Actor(parseResult, actor), ct),
            OperatorJson.Default.CenterView,
            OperatorText.CenterAdded,
            cancellationToken));
        return command;
    }

    private static Command List()
    {
        var json = OperatorCommand.JsonOption();
        var command = new Command("list", "List the centers.");
        command.Options.Add(json);
        command.SetAction((parseResult, cancellationToken) => OperatorCommand.RunAsync(
            parseResult,
            json,
            (CenterOperations centers, CancellationToken ct) => centers.ListCentersAsync(ct),
            OperatorJson.Default.IReadOnlyListCenterView,
            OperatorText.Centers,
            cancellationToken));
        return command;
    }
}
