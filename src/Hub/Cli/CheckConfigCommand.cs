using System.CommandLine;
using LxAnnotate.Hub.Configuration;
using LxAnnotate.Hub.OperatorConsole;
using LxAnnotate.Hub.Processing.Sensitive;
using LxAnnotate.Hub.Storage.Encryption;
using LxAnnotate.Shared.Configuration;
using Microsoft.Extensions.Configuration;
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
            Console.WriteLine($"data root: {settings.Paths.Root}{(settings.DataRootSource == EnvironmentVariableNames.EncryptedDataDir ? "" : $" (from {settings.DataRootSource})")}");
            Console.WriteLine($"storage: {settings.Paths.StorageDir}");
            Console.WriteLine($"database: {settings.Database.SafeDescription}");
            Console.WriteLine($"default center: {settings.DefaultCenterKey ?? "(none)"}");
            var encryption = services.GetRequiredService<EncryptionSettings>();
            var keys = encryption.KeyRing is { } ring ? $"master key configured (+{ring.RetiringCount} retiring)" : "no master key";
            var source = encryption.KeySource is { } from ? $" from {from}" : "";
            var shadowed = encryption.ShadowedKeySource is { } unused ? $"; {unused} is set but not used" : "";
            Console.WriteLine($"encryption: {keys}{source}{(encryption.Required ? ", required" : "")}{shadowed}");
            var configuration = services.GetRequiredService<IConfiguration>();
            Console.WriteLine($"hash salt: {DescribeSalt(configuration)}");
            Console.WriteLine($"console: {ConsoleOptionsResolver.Resolve(HubEnvironment.From(configuration)).Describe()}");
            foreach (var (name, why) in PythonEnvironmentCatalog.NotUsedAmong(configuration.AsEnumerable().Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => p.Key)))
            {
                Console.WriteLine($"known, not used by LxAnnotate: {name} ({why})");
            }

            return Task.FromResult(0);
        }, cancellationToken));
        return command;
    }

    /// <summary>Only the worker needs the salt, so a problem with it is reported here without failing the check.</summary>
    private static string DescribeSalt(IConfiguration configuration)
    {
        try
        {
            var salt = DjangoSalt.ResolveSalt(name => configuration[name]);
            var legacy = salt.LegacyDefault ? $", the legacy 'default_salt' allowed by {DjangoSalt.AllowLegacyDefaultVariable}" : "";
            return $"from {salt.Source} (+{salt.Retiring.Count} retiring){legacy}";
        }
        catch (ConfigurationContractException ex)
        {
            return $"not usable by the worker: {ex.Message}";
        }
    }
}
