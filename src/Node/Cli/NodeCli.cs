using System.CommandLine;
using LxAnnotate.Shared.Configuration;
using Microsoft.Extensions.Configuration;

namespace LxAnnotate.Node.Cli;

/// <summary>The <c>lxa-node</c> command tree.</summary>
internal static class NodeCli
{
    public const int ConfigurationErrorExitCode = 2;

    private static readonly Option<FileInfo?> EnvFileOption = new("--env-file")
    {
        Description = "Read variables from a systemd-style env file; its values win over the process environment.",
        Recursive = true,
    };

    public static RootCommand Build()
    {
        var root = new RootCommand("lxa-node: the LxAnnotate site node and standalone worker.");
        root.Options.Add(EnvFileOption);

        var checkConfig = new Command("check-config", "Validate the runtime configuration and print it (no secrets).");
        checkConfig.SetAction(async (parseResult, _) =>
        {
            LxaRuntimeSettings settings;
            try
            {
                settings = RuntimeSettingsResolver.Resolve(LoadConfiguration(parseResult));
            }
            catch (ConfigurationContractException ex)
            {
                await Console.Error.WriteLineAsync($"lxa-node: {ex.Message}");
                return ConfigurationErrorExitCode;
            }

            Console.WriteLine($"role: {settings.Role.ToWireName()}");
            Console.WriteLine($"data root: {settings.Paths.Root}");
            Console.WriteLine($"database: {settings.Database.SafeDescription}");
            Console.WriteLine($"default center: {settings.DefaultCenterKey ?? "(none)"}");
            return 0;
        });
        root.Subcommands.Add(checkConfig);
        return root;
    }

    private static IConfiguration LoadConfiguration(ParseResult parseResult)
    {
        var builder = new ConfigurationBuilder().AddEnvironmentVariables();
        if (parseResult.GetValue(EnvFileOption) is { } envFile)
        {
            builder.AddInMemoryCollection(EnvFile.Load(envFile.FullName).Select(p => KeyValuePair.Create(p.Key, (string?)p.Value)));
        }

        return builder.Build();
    }
}
