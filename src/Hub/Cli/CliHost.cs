using System.CommandLine;
using LxAnnotate.Shared.Cli;
using LxAnnotate.Hub.Data;
using LxAnnotate.Hub.Ingest;
using LxAnnotate.Hub.Operators;
using LxAnnotate.Hub.Storage.Encryption;
using LxAnnotate.Shared.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LxAnnotate.Hub.Cli;

/// <summary>
/// Builds the host a one-shot operator command runs in. Configuration errors end the command with
/// one line on stderr and exit code <see cref="ConfigurationErrorExitCode"/>.
/// </summary>
internal static class CliHost
{
    public const int ConfigurationErrorExitCode = CliConvention.ConfigurationErrorExitCode;

    public static Task<int> RunAsync(ParseResult parseResult, Func<IServiceProvider, CancellationToken, Task<int>> command, CancellationToken cancellationToken) =>
        RunAsync(parseResult, command, configureLogging: null, cancellationToken);

    /// <param name="configureLogging">Lets a command adjust logging beyond the common setup.</param>
    public static async Task<int> RunAsync(
        ParseResult parseResult,
        Func<IServiceProvider, CancellationToken, Task<int>> command,
        Action<ILoggingBuilder>? configureLogging,
        CancellationToken cancellationToken)
    {
        IHost host;
        try
        {
            host = Build(parseResult, configureLogging);
        }
        catch (ConfigurationContractException ex)
        {
            return await HubCli.Convention.ConfigurationErrorAsync(ex);
        }

        using (host)
        {
            await using var scope = host.Services.CreateAsyncScope();
            try
            {
                return await command(scope.ServiceProvider, cancellationToken);
            }
            catch (ConfigurationContractException ex)
            {
                // A setting only this command needs (e.g. the master key) is missing or wrong.
                return await HubCli.Convention.ConfigurationErrorAsync(ex);
            }
        }
    }

    /// <summary>Values of <c>--env-file</c>, if given; they are layered over the process environment.</summary>
    public static IEnumerable<KeyValuePair<string, string?>>? EnvFileValues(ParseResult parseResult) =>
        HubCli.Convention.EnvFileValues(parseResult);

    private static IHost Build(ParseResult parseResult, Action<ILoggingBuilder>? configureLogging)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ContentRootPath = AppContext.BaseDirectory,
            DisableDefaults = false,
        });

        if (EnvFileValues(parseResult) is { } values)
        {
            builder.Configuration.AddInMemoryCollection(values);
        }

        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);

        // EF logs the probe for a missing history table on a fresh database as an error; real database
        // failures reach the command as exceptions and become one line there.
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore.Database", LogLevel.None);
        // Command output goes to stdout; logs go to stderr so scripts can read the former.
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        configureLogging?.Invoke(builder.Logging);
        var settings = builder.AddHubRuntimeSettings();
        builder.Services.AddLxaDatabase(settings.Database).AddIngestCore().AddOperators(builder.Configuration);
        return builder.Build();
    }
}
