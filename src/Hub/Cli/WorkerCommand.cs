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
                var (schema, refusal) = await WaitForSchemaAsync(host.Services, cancellationToken);
                switch (schema)
                {
                    case Schema.Stopped:
                        return 0;
                    case Schema.NotCurrent:
                        await HubCli.Convention.WriteErrorAsync("the database schema is not current; run 'lxa-hub migrate' first");
                        return OperatorCommand.OperatorErrorExitCode;
                    case Schema.Refused:
                        await HubCli.Convention.WriteErrorAsync($"the database refused the worker: {refusal}");
                        return OperatorCommand.OperatorErrorExitCode;
                }

                await host.RunAsync(cancellationToken);
            }

            return 0;
        });
        return command;
    }

    /// <summary>
    /// The worker runs only on a current schema. A database that cannot be reached yet (started after the worker,
    /// restarting, failing over) is waited for, as the worker waits out an outage later; the check is repeated with a
    /// growing pause (<see cref="OutagePause"/>), until it answers or the worker is stopped.
    /// </summary>
    private static async Task<(Schema State, string? Refusal)> WaitForSchemaAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var logger = services.GetRequiredService<ILogger<ProcessingWorker>>();
        var pause = FirstPause;
        while (true)
        {
            try
            {
                await using var scope = services.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<LxaDbContext>();
                return (await db.Database.GetPendingMigrationsAsync(cancellationToken)).Any() ? (Schema.NotCurrent, null) : (Schema.Current, null);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return (Schema.Stopped, null);
            }
            catch (Exception ex) when (DbErrors.IsUnavailable(ex))
            {
                WorkerLog.DatabaseUnreachable(logger, ex.GetType().Name, pause.TotalSeconds);
            }
            catch (System.Data.Common.DbException ex)
            {
                // Not an outage: a refused login, an unknown role. Waiting would not change it. (A missing database is
                // not an error here: EF Core reports every migration as pending, so the schema check says so.)
                return (Schema.Refused, ex.Message);
            }

            try
            {
                await Task.Delay(pause, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return (Schema.Stopped, null);
            }

            pause = OutagePause.After(pause);
        }
    }

    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(500);

    private enum Schema
    {
        Current,
        NotCurrent,
        Stopped,
        Refused,
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
