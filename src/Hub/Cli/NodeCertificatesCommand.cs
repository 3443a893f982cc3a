using System.CommandLine;
using LxAnnotate.Hub.Operators;
using LxAnnotate.Hub.Operators.Certificates;

namespace LxAnnotate.Hub.Cli;

/// <summary><c>lxa-hub nodes cert add|list|revoke</c>.</summary>
internal static class NodeCertificatesCommand
{
    public static Command Create()
    {
        var command = new Command("cert", "Register, list and revoke a node's client certificates.");
        command.Subcommands.Add(Add());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Revoke());
        return command;
    }

    private static Command Add()
    {
        var key = NodesCommand.NodeKeyArgument();
        var file = new Argument<string>("FILE") { Description = "The node's certificate (PEM), issued by the node CA in LXA_HUB_NODE_CA_FILE." };
        var json = OperatorCommand.JsonOption();
        var actor = OperatorCommand.ActorOption();
        var command = new Command("add", "Register a client certificate for a node: it must chain to the node CA, have clientAuth and not be expired. Earlier certificates stay active (rotation).");
        command.Arguments.Add(key);
        command.Arguments.Add(file);
        command.Options.Add(json);
        command.Options.Add(actor);
        command.SetAction((parseResult, cancellationToken) => OperatorCommand.RunAsync(
            parseResult,
            json,
            (CertificateOperations certificates, CancellationToken ct) => certificates.AddCertificateAsync(parseResult.GetValue(key)!, parseResult.GetValue(file)!, OperatorCommand.Actor(parseResult, actor), ct),
            OperatorJson.Default.CertificateView,
            OperatorText.CertificateAdded,
            cancellationToken));
        return command;
    }

    private static Command List()
    {
        var key = NodesCommand.NodeKeyArgument();
        var json = OperatorCommand.JsonOption();
        var command = new Command("list", "List a node's certificates with status (active, expiring, expired, not_yet_valid, revoked) and expiry.");
        command.Arguments.Add(key);
        command.Options.Add(json);
        command.SetAction((parseResult, cancellationToken) => OperatorCommand.RunAsync(
            parseResult,
            json,
            (CertificateOperations certificates, CancellationToken ct) => certificates.ListCertificatesAsync(parseResult.GetValue(key)!, ct),
            OperatorJson.Default.IReadOnlyListCertificateView,
            OperatorText.Certificates,
            cancellationToken));
        return command;
    }

    private static Command Revoke()
    {
        var key = NodesCommand.NodeKeyArgument();
        var thumbprint = new Argument<string>("THUMBPRINT") { Description = "SHA-256 thumbprint (64 hex digits, colons allowed), as 'nodes cert list' shows it." };
        var reason = new Option<string>("--reason") { Description = "Why the certificate is revoked (kept with it and in the audit trail).", Required = true };
        var json = OperatorCommand.JsonOption();
        var actor = OperatorCommand.ActorOption();
        var command = new Command("revoke", "Revoke a node certificate; the hub refuses it from the next call on.");
        command.Arguments.Add(key);
        command.Arguments.Add(thumbprint);
        command.Options.Add(reason);
        command.Options.Add(json);
        command.Options.Add(actor);
        command.SetAction((parseResult, cancellationToken) => OperatorCommand.RunAsync(
            parseResult,
            json,
            (CertificateOperations certificates, CancellationToken ct) => certificates.RevokeCertificateAsync(
                parseResult.GetValue(key)!, parseResult.GetValue(thumbprint)!, parseResult.GetValue(reason)!, OperatorCommand.Actor(parseResult, actor), ct),
            OperatorJson.Default.CertificateRevocation,
            OperatorText.CertificateRevocation,
            cancellationToken));
        return command;
    }
}
