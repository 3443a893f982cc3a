using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using LxAnnotate.Node.Sync;
using LxAnnotate.TestSupport;

namespace LxAnnotate.Node.Tests.Sync;

/// <summary>The node's TLS to its hub, against a real TLS server on loopback: the hub CA alone, host name included.</summary>
public sealed class HubTlsOptionsTests : IDisposable
{
    private readonly TestPki hubPki = new("LxAnnotate Test Hub CA");
    private readonly TestPki otherPki = new("Some Other CA");

    [Fact]
    public async Task Handshake_HubCertificateOfTheHubCaForThatName_Succeeds()
    {
        using var server = Reloaded(hubPki.IssueServer());

        await HandshakeAsync(server, targetHost: "localhost");
    }

    [Fact]
    public async Task Handshake_CertificateOfAnotherCa_IsRefused()
    {
        using var server = Reloaded(otherPki.IssueServer());

        await Assert.ThrowsAsync<AuthenticationException>(() => HandshakeAsync(server, targetHost: "localhost"));
    }

    [Fact]
    public async Task Handshake_HubCaCertificateForAnotherName_IsRefused()
    {
        using var server = Reloaded(hubPki.IssueServer());

        await Assert.ThrowsAsync<AuthenticationException>(() => HandshakeAsync(server, targetHost: "hub.example"));
    }

    public void Dispose()
    {
        hubPki.Dispose();
        otherPki.Dispose();
    }

    private async Task HandshakeAsync(X509Certificate2 serverCertificate, string targetHost)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var serving = Task.Run(async () =>
        {
            using var accepted = await listener.AcceptTcpClientAsync(timeout.Token);
            await using var tls = new SslStream(accepted.GetStream());
            try
            {
                await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = serverCertificate }, timeout.Token);
            }
            catch (Exception ex) when (ex is AuthenticationException or IOException)
            {
                // The client refused the certificate: what the refusing tests expect.
            }
        });

        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
        await using var stream = new SslStream(client.GetStream());
        var options = HubConnection.HubTlsOptions(hubPki.Ca, clientCertificate: null);
        options.TargetHost = targetHost;
        try
        {
            await stream.AuthenticateAsClientAsync(options, timeout.Token);
        }
        finally
        {
            client.Close();
            await serving;
        }
    }

    private static X509Certificate2 Reloaded(X509Certificate2 certificate) =>
        X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), password: null);
}
