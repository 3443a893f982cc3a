using System.CommandLine;
using LxAnnotate.Node.Hosting;

namespace LxAnnotate.Node.Cli;

/// <summary><c>lxa-node run</c>: the service (watcher and sync) until SIGTERM / Ctrl-C.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var command = new Command("run", "Run the node: watch the drop folders and send the outbox to the hub.");
        command.SetAction((parseResult, cancellationToken) => NodeCli.GuardAsync(async () =>
        {
            using var host = NodeHost.BuildService(NodeCli.EnvFileValues(parseResult));
            await host.RunAsync(cancellationToken);
            return 0;
        }));
        return command;
    }
}
