using System.CommandLine;
using LxAnnotate.Node.Hosting;
using LxAnnotate.Node.Sync;

namespace LxAnnotate.Node.Cli;

/// <summary><c>lxa-node push FILE…</c>: one-shot upload through the outbox (<see cref="PushRun"/>); resumable.</summary>
internal static class PushCommand
{
    public static Command Create()
    {
        var files = new Argument<FileInfo[]>("FILE") { Arity = ArgumentArity.OneOrMore, Description = "Files to send." };
        var centerKey = new Option<string?>("--center-key") { Description = "Center to declare (default: the node's own)." };
        var sourceSystem = new Option<string?>("--source-system") { Description = "Source system to report." };
        var contentType = new Option<string?>("--content-type") { Description = "Media type, when the extension does not tell." };
        var parallel = new Option<int>("--parallel")
        {
            Description = "Files sent at once over the one connection (1-64; default: LXA_NODE_SYNC_CONCURRENCY, at least 8).",
        };
        var timeout = new Option<int>("--timeout") { Description = "Give up after this many seconds (items stay queued for `run`).", DefaultValueFactory = _ => 3600 };
        var command = new Command("push", "Send files to the hub now, through the outbox; resumable.");
        command.Arguments.Add(files);
        command.Options.Add(centerKey);
        command.Options.Add(sourceSystem);
        command.Options.Add(contentType);
        command.Options.Add(timeout);
        command.Options.Add(parallel);
        command.SetAction((parseResult, cancellationToken) => NodeCli.GuardAsync(async () =>
        {
            using var host = NodeHost.CreateBuilder(NodeCli.EnvFileValues(parseResult)).Build();
            var request = new PushRequest(
                parseResult.GetValue(files)!,
                parseResult.GetValue(centerKey),
                parseResult.GetValue(sourceSystem),
                parseResult.GetValue(contentType),
                parseResult.GetValue(parallel),
                TimeSpan.FromSeconds(parseResult.GetValue(timeout)));
            return await host.Services.GetRequiredService<PushRun>().RunAsync(request, cancellationToken);
        }));
        return command;
    }
}
