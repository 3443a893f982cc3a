using LxAnnotate.Node.Health;
using LxAnnotate.Node.Outbox;
using LxAnnotate.Node.PythonEraHub;
using LxAnnotate.Node.Quarantine;
using LxAnnotate.Node.SapImport;
using LxAnnotate.Node.Sync;
using LxAnnotate.Node.Watcher;
using LxAnnotate.Shared.Configuration;
using Microsoft.Extensions.Configuration;

namespace LxAnnotate.Node.Hosting;

/// <summary>Composition of <c>lxa-node</c>: settings, outbox, quarantine, hub connection and sync.</summary>
internal static class NodeHost
{
    /// <param name="enrolling">Resolve settings for <c>lxa-node enroll</c> (no certificate yet).</param>
    public static HostApplicationBuilder CreateBuilder(IEnumerable<KeyValuePair<string, string?>>? overrides, bool enrolling = false)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
        if (overrides is not null)
        {
            builder.Configuration.AddInMemoryCollection(overrides);
        }

        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Logging.AddFilter("Grpc", LogLevel.Warning);
        builder.Logging.AddFilter("System.Net.Http", LogLevel.Warning);

        var runtime = builder.AddLxaRuntimeSettings();
        var settings = NodeSettingsResolver.Resolve(key => builder.Configuration[key], runtime, enrolling);
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<OutboxDatabase>();
        builder.Services.AddSingleton<OutboxStore>();
        builder.Services.AddSingleton<HashCache>();
        builder.Services.AddSingleton<OutboxIntake>();
        builder.Services.AddSingleton<IOutbox>(sp => sp.GetRequiredService<OutboxIntake>());
        builder.Services.AddSingleton<TakingRepair>();
        builder.Services.AddSingleton<OutboxInitializer>();
        builder.Services.AddSingleton<QuarantineStore>();
        builder.Services.AddSingleton<HubConnection>();
        builder.Services.AddSingleton<EnvelopeStager>();
        builder.Services.AddSingleton(PythonEraHubSettingsResolver.Resolve(key => builder.Configuration[key], settings, runtime));
        builder.Services.AddSingleton<PythonEraHubClient>();
        builder.Services.AddSingleton<PythonEraSender>();
        builder.Services.AddSingleton<DeliverBatcher>();
        builder.Services.AddSingleton<ItemSender>();
        builder.Services.AddSingleton<SyncWorker>();
        builder.Services.AddSingleton<PushRun>();
        builder.Services.AddSingleton<SapImportFolder>();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        return builder;
    }

    /// <summary>The service: outbox first (repair), then watcher and sync.</summary>
    public static IHost BuildService(IEnumerable<KeyValuePair<string, string?>>? overrides)
    {
        var builder = CreateBuilder(overrides);
        builder.Services.AddHostedService(sp => sp.GetRequiredService<OutboxInitializer>());
        builder.Services.AddDropFolderWatcher();
        builder.Services.AddHostedService<SapImportWatcher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SyncWorker>());
        builder.Services.AddNodeHeartbeat(builder.Configuration);
        var host = builder.Build();
        host.Services.GetRequiredService<DataPaths>().EnsureCreated();
        return host;
    }
}
