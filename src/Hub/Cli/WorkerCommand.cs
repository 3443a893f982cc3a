using System.CommandLine;
using LxAnnotate.Hub.Configuration;
using LxAnnotate.Hub.Data;
using LxAnnotate.Hub.Metrics;
using LxAnnotate.Hub.Processing.Sensitive;
using LxAnnotate.Hub.Processing.Worker;
using LxAnnotate.Hub.Processing;
using LxAnnotate.Hub.Storage.Encryption;
using LxAnnotate.Shared.Configuration;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.Hub.Cli;

/// <summary>
/// <c>lxa-hub worker</c>: the processing worker, a process of its own so a corrupt file, a hung tool or an
/// out-of-memory kill never touches <c>lxa-hub serve</c>. Stops on SIGTERM (the current job is given back).
/// </summary>
internal static class WorkerCommand
{
    public static Command Create()
    {
        var command = new Command("worker", "Run the processing worker: claims queued jobs with a lease and processes them (probe, anonymization).");
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            IHost host;
            try
            {
                host = Build(parseResult);
            }
            catch (ConfigurationContractException ex)
            {
                await HubCli.Convention.WriteErrorAsync($"{ex.Message}");
                return CliHost.ConfigurationErrorExitCode;
            }

            using (host)
            {
                await using (var scope = host.Services.CreateAsyncScope())
                {
                    var db = scope.ServiceProvider.GetRequiredService<LxaDbContext>();
                    if ((await db.Database.GetPendingMigrationsAsync(cancellationToken)).Any())
                    {
                        await HubCli.Convention.WriteErrorAsync("the database schema is not current; run 'lxa-hub migrate' first");
                        return OperatorCommand.OperatorErrorExitCode;
                    }
                }

                await host.RunAsync(cancellationToken);
            }

            return 0;
        });
        return command;
    }

    private static IHost Build(ParseResult parseResult)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
        if (CliHost.EnvFileValues(parseResult) is { } values)
        {
            builder.Configuration.AddInMemoryCollection(values);
        }

        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.None);

        var runtime = builder.AddHubRuntimeSettings();
        var settings = WorkerSettings.Resolve(key => builder.Configuration[key]);
        var salt = DjangoSalt.ResolveSalt(key => builder.Configuration[key]);
        builder.Services.AddSingleton(salt);
        builder.Services.AddHostedService<StartupConfigurationLog>();
        builder.Services.AddLxaDatabase(runtime.Database).AddProcessing(settings, salt.Active).AddAnonymizationStages();
        builder.Services.AddHostedService<ProcessingWorker>();
        builder.Services.AddWorkerMetrics(HubEnvironment.From(builder.Configuration));

        // A job in flight is released (or its result written) within this time after SIGTERM.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        return builder.Build();
    }
}
