using System.CommandLine;
using LxAnnotate.Node.Hosting;
using LxAnnotate.Shared.Configuration;

namespace LxAnnotate.Node.Cli;

/// <summary><c>lxa-node check-config</c>: validates the configuration and prints it without secrets.</summary>
internal static class CheckConfigCommand
{
    public static Command Create()
    {
        var command = new Command("check-config", "Validate the runtime configuration and print it (no secrets).");
        command.SetAction((parseResult, _) => NodeCli.GuardAsync(() =>
        {
            var services = NodeHost.CreateBuilder(NodeCli.EnvFileValues(parseResult)).Services.BuildServiceProvider();
            var settings = services.GetRequiredService<LxaRuntimeSettings>();
            var node = services.GetRequiredService<NodeSettings>();
            Console.WriteLine($"role: {settings.Role.ToWireName()}");
            Console.WriteLine($"data root: {settings.Paths.Root}");
            Console.WriteLine($"database: {settings.Database.SafeDescription}");
            Console.WriteLine($"default center: {settings.DefaultCenterKey ?? "(none)"}");
            Console.WriteLine($"hub: {node.HubUrl?.ToString() ?? "unix:" + node.HubSocketPath}");
            Console.WriteLine($"outbox: {node.OutboxDir}");
            return Task.FromResult(0);
        }));
        return command;
    }
}
