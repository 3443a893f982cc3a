using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Grpc.Net.Client;
using LxAnnotate.Node.Hosting;
using ProtoEnrollment = LxAnnotate.Shared.Protos.V1.Enrollment;
using ProtoTransfer = LxAnnotate.Shared.Protos.V1.Transfer;

namespace LxAnnotate.Node.Sync;

/// <summary>
/// The node's one channel to the hub: mutual TLS to a remote hub (its server certificate verified against
/// the configured CA, host name included; no redirects, no plaintext), or the hub's Unix socket on the same host.
/// </summary>
internal sealed class HubConnection : IDisposable
{
    private readonly GrpcChannel channel;
    private readonly X509Certificate2? clientCertificate;
    private readonly X509Certificate2? hubCa;

    public HubConnection(NodeSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        SocketsHttpHandler handler;
        if (settings.HubUrl is { } url)
        {
            clientCertificate = X509Certificate2.CreateFromPemFile(settings.CertificateFile!, settings.KeyFile);
            hubCa = X509CertificateLoader.LoadCertificateFromFile(settings.HubCaFile!);
            handler = new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                EnableMultipleHttp2Connections = true,
                SslOptions = HubTlsOptions(hubCa, clientCertificate),
            };
            Target = url.ToString();
            channel = GrpcChannel.ForAddress(url, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
        }
        else
        {
            var socket = settings.HubSocketPath;
            handler = new SocketsHttpHandler
            {
                ConnectCallback = async (_, cancellationToken) =>
                {
                    var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                    try
                    {
                        await client.ConnectAsync(new UnixDomainSocketEndPoint(socket), cancellationToken);
                        return new NetworkStream(client, ownsSocket: true);
                    }
                    catch
                    {
                        client.Dispose();
                        throw;
                    }
                },
            };
            Target = "unix:" + socket;
            channel = GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
        }

        Client = new ProtoTransfer.TransferClient(channel);
        Enrollment = new ProtoEnrollment.EnrollmentClient(channel);
        Health = new Grpc.Health.V1.Health.HealthClient(channel);
    }

    public ProtoTransfer.TransferClient Client { get; }

    public Grpc.Health.V1.Health.HealthClient Health { get; }

    /// <summary>Renewal of this node's certificate (transfer listener, authenticated by the current certificate).</summary>
    public ProtoEnrollment.EnrollmentClient Enrollment { get; }

    /// <summary>Where this node sends, for status output (no secrets).</summary>
    public string Target { get; }

    public void Dispose()
    {
        channel.Dispose();
        clientCertificate?.Dispose();
        hubCa?.Dispose();
    }

    /// <summary>
    /// TLS to the hub: its certificate verified against <paramref name="hubCa"/> alone, host name included, and
    /// <paramref name="clientCertificate"/> presented when given. The handshake builds the hub's chain with this policy
    /// (custom root trust) and, with no validation callback, accepts only a certificate without any policy error; the
    /// system's trust store plays no part (see <see cref="Hosting.SystemTrustStore"/>).
    /// </summary>
    internal static SslClientAuthenticationOptions HubTlsOptions(X509Certificate2 hubCa, X509Certificate2? clientCertificate)
    {
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
            DisableCertificateDownloads = true,
        };
        policy.CustomTrustStore.Add(hubCa);
        return new SslClientAuthenticationOptions
        {
            ClientCertificates = clientCertificate is null ? null : [clientCertificate],
            CertificateChainPolicy = policy,
        };
    }
}
