using System.CommandLine;
using System.Globalization;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Net.Client;
using LxAnnotate.Node.Enrollment;
using LxAnnotate.Node.Hosting;
using LxAnnotate.Node.Sync;
using LxAnnotate.Shared.Configuration;
using LxAnnotate.Shared.Protos.V1;
using ProtoEnrollment = LxAnnotate.Shared.Protos.V1.Enrollment;

namespace LxAnnotate.Node.Cli;

/// <summary>
/// <c>lxa-node enroll --hub URL --token T</c>: makes the node's key pair here, sends only a CSR with the
/// operator's one-time token to the hub's API listener (TLS, hub verified against <c>LXA_NODE_HUB_CA_FILE</c>)
/// and writes the key (0600) and the returned certificate.
/// </summary>
internal static class EnrollCommand
{
    public const int RefusedExitCode = 1;

    public static Command Create()
    {
        var hub = new Option<string>("--hub") { Description = "The hub's API listener, https://HOST:PORT.", Required = true };
        var token = new Option<string>("--token") { Description = "The one-time token from 'lxa-hub nodes enroll'.", Required = true };
        var keyFile = new Option<string?>("--key-file") { Description = "Where to write the private key (default: LXA_NODE_KEY_FILE, else ${root}/node/node.key.pem)." };
        var certFile = new Option<string?>("--cert-file") { Description = "Where to write the certificate (default: LXA_NODE_CERT_FILE, else ${root}/node/node.crt.pem)." };
        var nodeKey = NodeKeyOption();
        var command = new Command("enroll", "Obtain this node's first certificate from the hub with a one-time token; the private key never leaves this host.");
        command.Options.Add(hub);
        command.Options.Add(token);
        command.Options.Add(keyFile);
        command.Options.Add(certFile);
        command.Options.Add(nodeKey);
        command.SetAction((parseResult, cancellationToken) => NodeCli.GuardAsync(() => EnrollAsync(
            parseResult,
            parseResult.GetValue(hub),
            parseResult.GetValue(token)!,
            parseResult.GetValue(keyFile),
            parseResult.GetValue(certFile),
            parseResult.GetValue(nodeKey),
            cancellationToken)));
        return command;
    }

    private static async Task<int> EnrollAsync(
        ParseResult parseResult, string? hubOption, string token, string? keyFile, string? certFile, string? nodeKeyOption, CancellationToken cancellationToken)
    {
        using var host = NodeHost.CreateBuilder(NodeCli.EnvFileValues(parseResult), enrolling: true).Build();
        var settings = host.Services.GetRequiredService<NodeSettings>();
        var nodeDir = Path.Combine(host.Services.GetRequiredService<DataPaths>().Root, "node");
        if (!Uri.TryCreate(hubOption, UriKind.Absolute, out var hubUrl) || hubUrl.Scheme != Uri.UriSchemeHttps)
        {
            throw new ConfigurationContractException("--hub", "must be an https:// URL: the token must not cross the network in clear text");
        }

        var hubCaFile = settings.HubCaFile
            ?? throw new ConfigurationContractException("LXA_NODE_HUB_CA_FILE", "not set; enrollment verifies the hub's certificate against this CA (PEM)");
        var key = ResolveNodeKey(nodeKeyOption, settings, current: null);
        var keyPath = keyFile ?? settings.KeyFile ?? Path.Combine(nodeDir, "node.key.pem");
        var certPath = certFile ?? settings.CertificateFile ?? Path.Combine(nodeDir, "node.crt.pem");
        foreach (var path in new[] { keyPath, certPath })
        {
            if (File.Exists(path))
            {
                return await FailAsync($"{path} already exists; this node is enrolled ('lxa-node renew' makes a new certificate)");
            }
        }

        using var hubCa = X509CertificateLoader.LoadCertificateFromFile(hubCaFile);
        using var channel = HubChannel(hubUrl, hubCa);
        var (privateKey, csr) = NodeCredentials.NewKeyAndRequest(key);
        using (privateKey)
        {
            EnrollReply reply;
            try
            {
                reply = await new ProtoEnrollment.EnrollmentClient(channel).EnrollAsync(
                    new EnrollRequest { Token = token.Trim(), CsrPem = csr },
                    deadline: DateTime.UtcNow.AddSeconds(60),
                    cancellationToken: cancellationToken);
            }
            catch (RpcException ex)
            {
                return await FailAsync($"enrollment refused by {hubUrl.Authority} ({ex.StatusCode}): {ex.Status.Detail}");
            }

            return await WriteAsync(reply, privateKey, key, keyPath, certPath, "Enrolled");
        }
    }

    /// <summary>A channel to the hub's API listener that trusts only a hub certificate issued by <paramref name="hubCa"/>.</summary>
    private static GrpcChannel HubChannel(Uri hubUrl, X509Certificate2 hubCa) => GrpcChannel.ForAddress(hubUrl, new GrpcChannelOptions
    {
        HttpHandler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            SslOptions = HubConnection.HubTlsOptions(hubCa, clientCertificate: null),
        },
        DisposeHttpClient = true,
    });

    public static Option<string?> NodeKeyOption() => new("--node-key")
    {
        Description = "This node's key, the certificate's CN (default: LXA_NODE_KEY).",
    };

    /// <summary>The node key to ask for: the option, else <c>LXA_NODE_KEY</c>, else (renewal) the current certificate's.</summary>
    public static string ResolveNodeKey(string? option, NodeSettings settings, X509Certificate2? current)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (option is not null)
        {
            return NodeKeys.IsValid(option)
                ? option
                : throw new ConfigurationContractException("--node-key", "must be 1 to 64 of a-z, 0-9, '_' and '-', starting with a letter or digit");
        }

        return settings.NodeKey
            ?? (current is null ? null : NodeCredentials.NodeKeyOf(current))
            ?? throw new ConfigurationContractException("LXA_NODE_KEY", "not set; pass --node-key or set LXA_NODE_KEY to this node's key");
    }

    /// <summary>Checks the hub's reply against our key, then writes key and certificate (certificate last: its presence means done).</summary>
    public static async Task<int> WriteAsync(EnrollReply reply, System.Security.Cryptography.ECDsa privateKey, string nodeKey, string keyPath, string certPath, string verb)
    {
        ArgumentNullException.ThrowIfNull(reply);
        ArgumentNullException.ThrowIfNull(privateKey);
        X509Certificate2 accepted;
        try
        {
            accepted = NodeCredentials.Accept(reply.CertificatePem, reply.CaPem, privateKey, nodeKey);
        }
        catch (Exception ex) when (ex is InvalidDataException or System.Security.Cryptography.CryptographicException)
        {
            return await FailAsync(ex is InvalidDataException ? ex.Message : "the hub's reply holds no readable certificate");
        }

        using (accepted)
        {
            try
            {
                NodeCredentials.WriteAtomically(keyPath, privateKey.ExportPkcs8PrivateKeyPem(), secret: true);
                NodeCredentials.WriteAtomically(certPath, reply.CertificatePem, secret: false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The hub has registered the certificate; without the files it is unused and can be revoked.
                return await FailAsync($"cannot write the key or certificate ({ex.GetType().Name}): {ex.Message}");
            }

            var thumbprint = accepted.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256);
            var notAfter = accepted.NotAfter.ToUniversalTime().ToString("u", CultureInfo.InvariantCulture);
            Console.WriteLine($"{verb} as node {nodeKey}: certificate {thumbprint}, valid until {notAfter}.");
            Console.WriteLine($"certificate: {certPath}");
            Console.WriteLine($"key: {keyPath} (made on this host, never sent)");
            return 0;
        }
    }

    public static async Task<int> FailAsync(string message)
    {
        await Console.Error.WriteLineAsync("lxa-node: " + string.Concat(message.Select(c => char.IsControl(c) ? ' ' : c)));
        return RefusedExitCode;
    }
}
