using System.Net;
using System.Security.Cryptography.X509Certificates;
using LxAnnotate.Hub.Authentication;
using LxAnnotate.Hub.Configuration;
using LxAnnotate.Shared.Configuration;
using LxAnnotate.Shared.Transfer;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace LxAnnotate.Hub.Hosting;

/// <summary>The Kestrel listeners of <c>lxa-hub serve</c>: REST API, gRPC transfer receiver and local socket.</summary>
internal static class HubListeners
{
    /// <summary>
    /// HTTP/2 receive window of one stream. gRPC parses a message only once all of it is buffered, and Kestrel opens
    /// the window again only for bytes the reader consumed, so the window must hold the largest message
    /// (<see cref="TransferLimits.MaxMessageBytes"/> and its 5-byte prefix) or an upload stalls. Each byte above that
    /// is buffered memory per concurrent upload: 1.25 MiB instead of 2 MiB took about 20 MiB off the hub's peak RSS
    /// with 32 concurrent pushes, at the same throughput (docs/performance.md, "Memory with many pushes").
    /// </summary>
    internal const int StreamWindowBytes = 1280 * 1024;

    /// <summary>Resolves and registers <see cref="ListenerOptions"/> and binds Kestrel to them.</summary>
    public static ListenerOptions AddHubListeners(this WebApplicationBuilder builder, HubEnvironment environment, LxaRuntimeSettings runtime, NodeCertificateOptions nodeCertificates)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddResolvedOptions<ListenerOptions, ListenerOptionsValidator>(
            ListenerOptionsResolver.Resolve(environment, runtime, nodeCertificates));
        builder.WebHost.ConfigureKestrel(kestrel => ConfigureListeners(kestrel, options));
        return options;
    }

    /// <summary>Kestrel creates the socket owner-only; the local watcher runs in the hub's group.</summary>
    public static WebApplication OpenLocalSocketToGroup(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var socket = app.Services.GetRequiredService<ListenerOptions>().LocalSocketPath;
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            if (socket is not null && File.Exists(socket))
            {
                File.SetUnixFileMode(socket, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite);
            }
        });
        return app;
    }

    private static void ConfigureListeners(KestrelServerOptions kestrel, ListenerOptions hub)
    {
        // Transfers are up to 50 GiB; the REST gateway enforces its own limit per request.
        kestrel.Limits.MaxRequestBodySize = null;
        kestrel.Limits.Http2.InitialConnectionWindowSize = 4 * 1024 * 1024;
        kestrel.Limits.Http2.InitialStreamWindowSize = StreamWindowBytes;

        X509Certificate2? serverCertificate = hub.TlsCertificateFile is not null && hub.TlsKeyFile is not null
            ? X509Certificate2.CreateFromPemFile(hub.TlsCertificateFile, hub.TlsKeyFile)
            : null;

        // REST takes HTTP/1.1 too and a certificate only when one is offered; gRPC transfers need
        // HTTP/2 and always a node certificate.
        ListenHttp(kestrel, hub.ApiUrl, HttpProtocols.Http1AndHttp2, ClientCertificateMode.AllowCertificate, serverCertificate, ListenerKind.Api);
        if (hub.TransferUrl is { } transferUrl)
        {
            ListenHttp(kestrel, transferUrl, HttpProtocols.Http2, ClientCertificateMode.RequireCertificate, serverCertificate, ListenerKind.Transfer);
        }

        if (hub.LocalSocketPath is { } socket)
        {
            ListenLocalSocket(kestrel, socket);
        }
    }

    private static void ListenHttp(
        KestrelServerOptions kestrel,
        Uri url,
        HttpProtocols protocols,
        ClientCertificateMode clientCertificates,
        X509Certificate2? serverCertificate,
        ListenerKind kind) =>
        Listen(kestrel, url, listen =>
        {
            listen.Protocols = protocols;
            if (url.Scheme == Uri.UriSchemeHttps)
            {
                listen.UseHttps(new HttpsConnectionAdapterOptions
                {
                    ServerCertificate = serverCertificate,
                    ClientCertificateMode = clientCertificates,

                    // The node CA is private: the certificate handlers validate the chain against it
                    // (custom root trust) and map it to a node, with a clear message on refusal.
                    ClientCertificateValidation = (_, _, _) => true,
                });
            }

            listen.Tag(kind);
        });

    private static void ListenLocalSocket(KestrelServerOptions kestrel, string socket)
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
