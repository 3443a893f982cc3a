using System.Net;
using System.Security.Cryptography.X509Certificates;
using LxAnnotate.Hub.Authentication;
using LxAnnotate.Hub.Data;
using LxAnnotate.Hub.Enrollment;
using LxAnnotate.Hub.Health;
using LxAnnotate.Hub.HubTransfers;
using LxAnnotate.Hub.Ingest;
using LxAnnotate.Hub.Media;
using LxAnnotate.Hub.Storage.Encryption;
using LxAnnotate.Hub.Transfer;
using LxAnnotate.Hub.Transfer.Sessions;
using LxAnnotate.Hub.Upload;
using LxAnnotate.Shared.Configuration;
using LxAnnotate.Shared.Transfer;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Configuration.Memory;

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
        var hub = HubSettingsResolver.Resolve(key => builder.Configuration[key], runtime);

        // central_hub (or LX_ANNOTATE_REQUIRE_ENCRYPTION) without a master key stops here with one line.
        builder.Services.RegisteredEncryptionSettings().EnsureUsable(runtime.Role);
        builder.Services.AddSingleton(hub);

        // Per-request lines of ASP.NET Core and every SQL command of EF Core cost more CPU than a small artifact's
        // own work; the hub's own categories log each transfer and upload. Lowest-priority defaults, so
        // Logging__LogLevel__Microsoft.AspNetCore=Information (or an appsettings file) brings them back.
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?>(StringComparer.Ordinal)
            {
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
                ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Warning",
            },
        });
        builder.Logging.ClearProviders();
        if (hub.JsonLogs)
        {
            builder.Logging.AddJsonConsole();
        }
        else
        {
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        }

        // Nothing the hub serves uses data protection today, but ASP.NET creates a key ring anyway: keep it in
        // the protected root rather than the service user's home (read-only under ProtectHome).
        builder.Services.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(runtime.Paths.RunDir, "data-protection")));

        builder.Services.AddLxaDatabase(runtime.Database).AddIngestCore();
        builder.Services.AddTransferReceiver(new TransferOptions
        {
            MaxArtifactBytes = hub.TransferMaxBytes,
            CheckpointBytes = hub.TransferCheckpointBytes,
            ExpireAfter = hub.TransferExpireAfter,
            RecipientKeys = hub.RecipientKeys,
            RequireEnvelope = hub.RequireEnvelope,
        });
        builder.Services.AddHostedService<TransferExpiryService>();
        builder.Services.AddNodeEnrollment(hub);

        builder.Services.AddGrpc(o =>
        {
            // One chunk plus framing; a larger message is refused before it is buffered.
            o.MaxReceiveMessageSize = TransferLimits.MaxMessageBytes;
            o.Interceptors.Add<TransferErrorInterceptor>();
        });
        builder.Services.AddGrpcReflection();
        builder.Services.AddGrpcHealthChecks().AddCheck<ReadinessHealthCheck>("readiness");
        builder.Services.AddScoped<ReadinessProbe>();

        builder.Services.AddScoped<ActiveNodeCertificates>();
        builder.AddNodeCertificateAuthentication(hub);
        builder.AddApiAuthentication(hub);
        builder.Services.AddAuthorization();

        builder.WebHost.ConfigureKestrel(kestrel => ConfigureListeners(kestrel, hub));
        return builder;
    }

    public static WebApplication MapHubEndpoints(this WebApplication app)
    {
        // Kestrel creates the socket owner-only; the local watcher runs in the hub's group.
        var socket = app.Services.GetRequiredService<HubSettings>().LocalSocketPath;
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            if (socket is not null && File.Exists(socket))
            {
                File.SetUnixFileMode(socket, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite);
            }
        });

        app.UseMiddleware<ListenerGateMiddleware>();
        app.UseMiddleware<ForwardedClientCertificateMiddleware>();
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
        return app;
    }

    private static void ConfigureListeners(KestrelServerOptions kestrel, HubSettings hub)
    {
        // Transfers are up to 50 GiB; the REST gateway enforces its own limit per request.
        kestrel.Limits.MaxRequestBodySize = null;
        kestrel.Limits.Http2.InitialConnectionWindowSize = 4 * 1024 * 1024;
        kestrel.Limits.Http2.InitialStreamWindowSize = 2 * 1024 * 1024;

        X509Certificate2? serverCertificate = hub.TlsCertificateFile is not null && hub.TlsKeyFile is not null
            ? X509Certificate2.CreateFromPemFile(hub.TlsCertificateFile, hub.TlsKeyFile)
            : null;

        Listen(kestrel, hub.ApiUrl, listen =>
        {
            listen.Protocols = HttpProtocols.Http1AndHttp2;
            if (hub.ApiUrl.Scheme == Uri.UriSchemeHttps)
            {
                listen.UseHttps(new HttpsConnectionAdapterOptions
                {
                    ServerCertificate = serverCertificate,
                    ClientCertificateMode = ClientCertificateMode.AllowCertificate,
                    ClientCertificateValidation = (_, _, _) => true,
                });
            }

            listen.Tag(ListenerKind.Api);
        });

        if (hub.TransferUrl is { } transferUrl)
        {
            Listen(kestrel, transferUrl, listen =>
            {
                listen.Protocols = HttpProtocols.Http2;
                if (transferUrl.Scheme == Uri.UriSchemeHttps)
                {
                    listen.UseHttps(new HttpsConnectionAdapterOptions
                    {
                        ServerCertificate = serverCertificate,
                        ClientCertificateMode = ClientCertificateMode.RequireCertificate,

                        // The node CA is private: the certificate handler validates the chain against it
                        // (custom root trust) and maps it to a node, with a clear message on refusal.
                        ClientCertificateValidation = (_, _, _) => true,
                    });
                }

                listen.Tag(ListenerKind.Transfer);
            });
        }

        if (hub.LocalSocketPath is { } socket)
        {
            // Kestrel binds before the data tree is ensured: create run/ with its documented mode, not the umask's.
            Directory.CreateDirectory(Path.GetDirectoryName(socket)!, DataTreeLayout.ServiceOnly);
            File.Delete(socket);
            kestrel.ListenUnixSocket(socket, listen =>
            {
                listen.Protocols = HttpProtocols.Http2;
                listen.Tag(ListenerKind.LocalSocket);
            });
        }
    }

    private static void Listen(KestrelServerOptions kestrel, Uri url, Action<ListenOptions> configure)
    {
        if (url.Host is "localhost")
        {
            kestrel.ListenLocalhost(url.Port, configure);
        }
        else if (url.Host is "*" or "+" or "0.0.0.0")
        {
            kestrel.ListenAnyIP(url.Port, configure);
        }
        else
        {
            kestrel.Listen(IPAddress.Parse(url.Host.Trim('[', ']')), url.Port, configure);
        }
    }
}
