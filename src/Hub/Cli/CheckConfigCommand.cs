using System.CommandLine;
using LxAnnotate.Hub.Storage.Encryption;
using LxAnnotate.Shared.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LxAnnotate.Hub.Cli;

/// <summary><c>lxa-hub check-config</c>: validates the configuration and prints it without secrets.</summary>
internal static class CheckConfigCommand
{
    public static Command Create()
    {
        var command = new Command("check-config", "Validate the runtime configuration and print it (no secrets).");
        command.SetAction((parseResult, cancellationToken) => CliHost.RunAsync(parseResult, (services, _) =>
        {
            var settings = services.GetRequiredService<LxaRuntimeSettings>();
            Console.WriteLine($"role: {settings.Role.ToWireName()}");
            Console.WriteLine($"data root: {settings.Paths.Root}");
            Console.WriteLine($"storage: {settings.Paths.StorageDir}");
            Console.WriteLine($"database: {settings.Database.SafeDescription}");
            Console.WriteLine($"default center: {settings.DefaultCenterKey ?? "(none)"}");
            var encryption = services.GetRequiredService<EncryptionSettings>();
            var keys = encryption.KeyRing is { } ring ? $"master key configured (+{ring.RetiringCount} retiring)" : "no master key";
            Console.WriteLine($"encryption: {keys}{(encryption.Required ? ", required" : "")}");
            return Task.FromResult(0);
        }, cancellationToken));
        return command;
    }
}
