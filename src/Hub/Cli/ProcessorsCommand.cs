using System.CommandLine;
using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Processing.Operators;

namespace LxAnnotate.Hub.Cli;

/// <summary><c>lxa-hub processors add|use|list|show</c>.</summary>
internal static class ProcessorsCommand
{
    public static Command Create()
    {
        var command = new Command("processors", "Endoscopy processor profiles: screen layout (frame size and regions) and the centers that use them.");
        command.Subcommands.Add(Add());
        command.Subcommands.Add(Use());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Show());
        return command;
    }

    private static Command Add()
    {
        var name = new Argument<string>("NAME") { Description = "Profile name: a-z, 0-9, '_' and '-' (e.g. olympus_cv_1500)." };
        var width = new Option<int>("--image-width") { Description = "Reference frame width in pixels.", Required = true };
        var height = new Option<int>("--image-height") { Description = "Reference frame height in pixels.", Required = true };
        var rois = new Option<string[]>("--roi")
        {
            Description = "A region as FIELD=X,Y,WIDTH,HEIGHT; give each of " + string.Join(", ", ProcessorRois.FieldNames) + ".",
            Required = true,
            AllowMultipleArgumentsPerToken = false,
        };
        var centers = CentersOption();
        var defaultFor = DefaultForOption();
        var json = OperatorCommand.JsonOption();
        var actor = OperatorCommand.ActorOption();
        var command = new Command("add", "Add a processor profile.");
        command.Arguments.Add(name);
        command.Options.Add(width);
        command.Options.Add(height);
        command.Options.Add(rois);
        command.Options.Add(centers);
        command.Options.Add(defaultFor);
        command.Options.Add(json);
        command.Options.Add(actor);
        command.SetAction((parseResult, cancellationToken) => OperatorCommand.RunAsync<ProcessingOperatorService, ProcessorView>(
            parseResult,
            json,
            (service, ct) => service.AddProcessorAsync(parseResult.GetValue(name)!, parseResult.GetValue(width), parseResult.GetValue(height),
                parseResult.GetValue(rois) ?? [], parseResult.GetValue(centers) ?? [], parseResult.GetValue(defaultFor) ?? [],
                OperatorCommand.Actor(parseResult, actor), ct),
            ProcessingJson.Default.ProcessorView,
            ProcessingText.Processor,
            cancellationToken));
        return command;
    }

    private static Command Use()
    {
        var name = new Argument<string>("NAME") { Description = "Profile name." };
        var centers = CentersOption();
        var defaultFor = DefaultForOption();
        var json = OperatorCommand.JsonOption();
        var actor = OperatorCommand.ActorOption();
        var command = new Command("use", "Record that centers use a profile, optionally as their default.");
        command.Arguments.Add(name);
        command.Options.Add(centers);
        command.Options.Add(defaultFor);
        command.Options.Add(json);
        command.Options.Add(actor);
        command.SetAction((parseResult, cancellationToken) => OperatorCommand.RunAsync<ProcessingOperatorService, ProcessorView>(
            parseResult,
            json,
            (service, ct) => service.UseProcessorAsync(parseResult.GetValue(name)!, parseResult.GetValue(centers) ?? [], parseResult.GetValue(defaultFor) ?? [],
                OperatorCommand.Actor(parseResult, actor), ct),
            ProcessingJson.Default.ProcessorView,
            ProcessingText.Processor,
            cancellationToken));
        return command;
    }

    private static Command List()
    {
        var json = OperatorCommand.JsonOption();
        var command = new Command("list", "List the processor profiles.");
        command.Options.Add(json);
        command.SetAction((parseResult, cancellationToken) => OperatorCommand.RunAsync<ProcessingOperatorService, IReadOnlyList<ProcessorView>>(
            parseResult,
            json,
            (service, ct) => service.ListProcessorsAsync(ct),
            ProcessingJson.Default.IReadOnlyListProcessorView,
            ProcessingText.Processors,
            cancellationToken));
        return command;
    }

    private static Command Show()
    {
        var name = new Argument<string>("NAME") { Description = "Profile name." };
        var json = OperatorCommand.JsonOption();
        var command = new Command("show", "Show a processor profile with its regions.");
        command.Arguments.Add(name);
        command.Options.Add(json);
        command.SetAction((parseResult, cancellationToken) => OperatorCommand.RunAsync<ProcessingOperatorService, ProcessorView>(
            parseResult,
            json,
            (service, ct) => service.ShowProcessorAsync(parseResult.GetValue(name)!, ct),
            ProcessingJson.Default.ProcessorView,
            ProcessingText.Processor,
            cancellationToken));
        return command;
    }

    private static Option<string[]> CentersOption() => new("--center-key", "--center") { Description = "A center_key that uses the profile (repeatable)." };

    private static Option<string[]> DefaultForOption() => new("--default-for") { Description = "A center_key whose default profile this becomes (repeatable)." };
}
