using LxAnnotate.Hub.Authentication;
using LxAnnotate.Hub.Configuration;
using LxAnnotate.Hub.Data;
using LxAnnotate.Hub.Enrollment;
using LxAnnotate.Hub.Health;
using LxAnnotate.Hub.PythonEraTransfers;
using LxAnnotate.Hub.Ingest;
using LxAnnotate.Hub.Metrics;
using LxAnnotate.Hub.NodeHealth;
using LxAnnotate.Hub.OperatorConsole;
using LxAnnotate.Hub.ProtectedMedia;
using LxAnnotate.Hub.Storage.Encryption;
using LxAnnotate.Hub.Transfer;
using LxAnnotate.Hub.Transfer.Sessions;
using LxAnnotate.Hub.Upload;
using LxAnnotate.Shared.Configuration;
using LxAnnotate.Shared.Transfer;
using Microsoft.AspNetCore.DataProtection;

namespace LxAnnotate.Hub.Hosting;

/// <summary>Composition of <c>lxa-hub serve</c>: services, Kestrel listeners and endpoints.</summary>
internal static class HubServer
{
    public static WebApplication Build(IEnumerable<KeyValuePair<string, string?>>? overrides = null, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        if (overrides is not null)
        {
            builder.Configuration.AddInMemoryCollection(overrides);
        }

        builder.AddHubServices();

        // Type=notify under systemd (READY=1 once Kestrel listens, STOPPING on shutdown, journald log
        // format); nothing changes when the process was not started by systemd.
        builder.Host.UseSystemd();

        // After the hub's own wiring, so a caller's services (a test server, a log capture) are neither
        // cleared by AddHubServices (it resets the logging providers) nor replaced by its defaults.
        configure?.Invoke(builder);
        var app = builder.Build();
        app.Services.GetRequiredService<DataPaths>().EnsureCreated();
        app.MapHubEndpoints();
        return app;
    }

    public static WebApplicationBuilder AddHubServices(this WebApplicationBuilder builder)
    {
        var runtime = builder.AddHubRuntimeSettings();
        if (runtime.Role == DeploymentRole.SiteNode)
        {
            throw new ConfigurationContractException("ENDOREG_DEPLOYMENT_ROLE", "lxa-hub serve runs as standalone or central_hub, not site_node");
        }

        // Each feature resolves its own options from its variables here, so a bad one stops the build with one line.
        var environment = HubEnvironment.From(builder.Configuration);
        var nodeCertificates = builder.AddNodeCertificateAuthentication(environment, runtime.Role);
        builder.AddHubListeners(environment, runtime, nodeCertificates);
        builder.AddApiAuthentication(environment, runtime.Role);
        builder.AddOperatorConsole(environment);
        builder.AddHubLogging(environment);
        var transfer = builder.Services.AddTransferReceiver(environment);
        builder.Services.AddHubTransfers(environment, runtime.Role, transfer.RecipientKeys);
        builder.Services.AddUploadOptions(environment);
        builder.Services.AddProtectedMedia(environment, runtime.Role);

        // central_hub (or LX_ANNOTATE_REQUIRE_ENCRYPTION) without a master key stops here with one line.
        builder.Services.RegisteredEncryptionSettings().EnsureUsable(runtime.Role);
        builder.Services.AddHostedService<StartupConfigurationLog>();
        builder.Services.AddSingleton(NativeHeapTrimOptions.Resolve(environment)).AddHostedService<NativeHeapTrimmer>();

        // Nothing the hub serves uses data protection today, but ASP.NET creates a key ring anyway: keep it in
        // the protected root rather than the service user's home (read-only under ProtectHome).
        builder.Services.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(runtime.Paths.RunDir, "data-protection")));

        builder.Services.AddLxaDatabase(runtime.Database).AddIngestCore();
        builder.Services.AddNodeEnrollment(nodeCertificates);

        builder.Services.AddGrpc(o =>
        {
            // One chunk plus framing; a larger message is refused before it is buffered.
            o.MaxReceiveMessageSize = TransferLimits.MaxMessageBytes;
            o.Interceptors.Add<TransferErrorInterceptor>();
        });
        builder.Services.AddHubMetrics(environment);
        builder.Services.AddNodeHealth();
        builder.Services.AddGrpcReflection();
        builder.Services.AddGrpcHealthChecks().AddCheck<ReadinessHealthCheck>("readiness");
        builder.Services.AddScoped<ReadinessProbe>();
        builder.Services.AddAuthorization();
        return builder;
    }

    public static WebApplication MapHubEndpoints(this WebApplication app)
    {
        app.OpenLocalSocketToGroup();
        app.UseMiddleware<ListenerGateMiddleware>();
        app.UseHubMetrics();
        app.UseMiddleware<ForwardedClientCertificateMiddleware>();
        app.UseOperatorConsole();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapGrpcService<TransferGrpcService>();
        app.MapGrpcService<EnrollmentGrpcService>();
        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService();
        app.MapHealthEndpoints();
        app.MapUploadApi();
        app.MapMediaApi();
        app.MapHubTransferApi();
        app.MapHubMetrics();
        app.MapOperatorConsole();
        return app;
    }
}
