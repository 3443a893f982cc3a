using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using LxAnnotate.Node.Enrollment;
using LxAnnotate.Node.Hosting;
using LxAnnotate.Node.Sync;
using LxAnnotate.Shared.Protos.V1;

namespace LxAnnotate.Node.Cli;

/// <summary>
/// <c>lxa-node renew</c>: a new key pair and certificate, obtained over mTLS with the current certificate.
/// The new pair replaces <c>LXA_NODE_KEY_FILE</c>/<c>LXA_NODE_CERT_FILE</c> (each by rename) only after the
/// hub answered; the previous pair is kept beside them as <c>*.previous</c> and stays valid at the hub until
/// it expires or an operator revokes it, so a running service keeps working until it restarts.
/// </summary>
internal static class RenewCommand
{
    public const string PreviousSuffix = ".previous";

    public static Command Create()
    {
        var nodeKey = EnrollCommand.NodeKeyOption();
        var command = new Command("renew", "Obtain a new certificate (with a new key pair) using the current one; the current one stays valid until it expires or is revoked.");
        command.Options.Add(nodeKey);
        command.SetAction((parseResult, cancellationToken) => NodeCli.GuardAsync(async () =>
        {
            using var host = NodeHost.CreateBuilder(NodeCli.EnvFileValues(parseResult)).Build();
            var settings = host.Services.GetRequiredService<NodeSettings>();
            if (settings.HubUrl is null)
            {
                throw new Shared.Configuration.ConfigurationContractException("LXA_NODE_HUB_URL", "renewal talks to a remote hub over mutual TLS: set LXA_NODE_HUB_URL=https://…");
            }

            using var current = X509CertificateLoader.LoadCertificateFromFile(settings.CertificateFile!);
            var key = EnrollCommand.ResolveNodeKey(parseResult.GetValue(nodeKey), settings, current);
            var hub = host.Services.GetRequiredService<HubConnection>();
            var (privateKey, csr) = NodeCredentials.NewKeyAndRequest(key);
            using (privateKey)
            {
                EnrollReply reply;
                try
                {
                    reply = await hub.Enrollment.RenewAsync(new RenewRequest { CsrPem = csr }, deadline: DateTime.UtcNow.AddSeconds(60), cancellationToken: cancellationToken);
                }
                catch (RpcException ex)
                {
                    return await EnrollCommand.FailAsync($"renewal refused by {hub.Target} ({ex.StatusCode}): {ex.Status.Detail}");
                }

                // Keep the pair that works today until the new one is in place (copies: the originals are replaced by rename).
                File.Copy(settings.KeyFile!, settings.KeyFile + PreviousSuffix, overwrite: true);
                File.SetUnixFileMode(settings.KeyFile + PreviousSuffix, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                File.Copy(settings.CertificateFile!, settings.CertificateFile + PreviousSuffix, overwrite: true);
                return await EnrollCommand.WriteAsync(reply, privateKey, key, settings.KeyFile!, settings.CertificateFile!, "Renewed");
            }
        }));
        return command;
    }
}
