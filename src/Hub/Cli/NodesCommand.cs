using System.CommandLine;
using LxAnnotate.Hub.Operators;
using LxAnnotate.Hub.Operators.Enrollment;
using LxAnnotate.Hub.Operators.Nodes;
using LxAnnotate.Hub.Operators.Secrets;

namespace LxAnnotate.Hub.Cli;

/// <summary><c>lxa-hub nodes add|list|show|activate|deactivate|enroll</c> and <c>nodes cert …</c>.</summary>
internal static class NodesCommand
{
    public static Command Create()
    {
        var command = new Command("nodes", "Add, list, activate and deactivate site nodes; manage their certificates.");
        command.Subcommands.Add(Add());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Show());
        command.Subcommands.Add(SetActive("activate", active: true, "Activate a node: its active certificates authenticate again."));
        command.Subcommands.Add(SetActive("deactivate", active: false, "Deactivate a node: none of its certificates authenticates from the next call on."));
        command.Subcommands.Add(Enroll());
        command.Subcommands.Add(SetSecret());
        command.Subcommands.Add(ImportSecretHash());
        command.Subcommands.Add(NodeCertificatesCommand.Create());
        return command;
    }

    public static Argument<string> NodeKeyArgument() =>
        new("NODE_KEY") { Description = "The node_key: a-z, 0-9, '_' and '-', at most 64; it never changes." };

    private static Command Add()
    {
        var key = NodeKeyArgument();
        var center = new Option<string>("--center-key", "--center") { Description = "The center_key of the center the node sends for.", Required = true };
        var displayName = new Option<string?>("--display-name") { Description = "A name for display." };
        var json = OperatorCommand.JsonOption();
        var actor = OperatorCommand.ActorOption();
        var command = new Command("add", "Add a site node bound to one center.");
        command.Arguments.Add(key);
        command.Options.Add(center);
        command.Options.Add(displayName);
        command.Options.Add(json);
        command.Options.Add(actor);
        command.SetAction((parseResult, cancellationToken) => OperatorCommand.RunAsync(
            parseResult,
            json,
            (NodeOperations nodes, CancellationToken ct) => nodes.AddNodeAsync(
                parseResult.GetValue(key)!, parseResult.GetValue(center)!, parseResult.GetValue(displayName), OperatorCommand.Actor(parseResult, actor), ct),
            OperatorJson.Default.NodeView,
            OperatorText.NodeAdded,
            cancellationToken));
        return command;
    }

    private static Command Enroll()
    {
        var key = NodeKeyArgument();
        var center = new Option<string>("--center-key", "--center") { Description = "The center_key of the node's center (the node is added to it when missing).", Required = true };
        var ttl = new Option<string?>("--ttl") { Description = "How long the token is valid: e.g. 30m, 24h (default), 7d; at most 30d." };
        var json = OperatorCommand.JsonOption();
        var actor = OperatorCommand.ActorOption();
        var command = new Command("enroll", "Make a one-time enrollment token with which the node obtains its certificate ('lxa-node enroll'); only its hash is stored.");
        command.Arguments.Add(key);
        command.Options.Add(center);
        command.Options.Add(ttl);
        command.Options.Add(json);
        command.Options.Add(actor);
        command.SetAction((parseResult, cancellationToken) => OperatorCommand.RunAsync(
            parseResult,
            json,
            (EnrollmentTokenOperations tokens, CancellationToken ct) => tokens.CreateEnrollmentTokenAsync(
                parseResult.GetValue(key)!, parseResult.GetValue(center)!, EnrollmentTtl.Parse(parseResult.GetValue(ttl)), OperatorCommand.Actor(parseResult, actor), ct),
            OperatorJson.Default.EnrollmentTokenView,
            OperatorText.EnrollmentToken,
            cancellationToken));
        return command;
    }

    private static Command List()
    {
        var center = new Option<string?>("--center-key", "--center") { Description = "Only the nodes of this center." };
        var json = OperatorCommand.JsonOption();
        var command = new Command("list", "List nodes with their center, state, last heartbeat and certificates (expiring within 30 days: 'expiring').");
        command.Options.Add(center);
        command.Options.Add(json);
        command.SetAction((parseResult, cancellationToken) => OperatorCommand.RunAsync(
            parseResult,
            json,
            (NodeOperations nodes, CancellationToken ct) => nodes.ListNodesAsync(parseResult.GetValue(center), ct),
            OperatorJson.Default.IReadOnlyListNodeView,
            OperatorText.Nodes,
            cancellationToken));
        return command;
    }

    private static Command Show()
    {
        var key = NodeKeyArgument();
        var json = OperatorCommand.JsonOption();
        var command = new Command("show", "Show one node: center, state, certificates and its latest heartbeat (last seen, outbox, errors, clock offset).");
        command.Arguments.Add(key);
        command.Options.Add(json);
        command.SetAction((parseResult, cancellationToken) => OperatorCommand.RunAsync(
            parseResult,
            json,
            (NodeOperations nodes, CancellationToken ct) => nodes.ShowNodeAsync(parseResult.GetValue(key)!, ct),
            OperatorJson.Default.NodeView,
            OperatorText.Node,
            cancellationToken));
        return command;
    }

    private static Command SetActive(string name, bool active, string description)
    {
        var key = NodeKeyArgument();
        var json = OperatorCommand.JsonOption();
        var actor = OperatorCommand.ActorOption();
        var command = new Command(name, description);
        command.Arguments.Add(key);
        command.Options.Add(json);
        command.Options.Add(actor);
        command.SetAction((parseResult, cancellationToken) => OperatorCommand.RunAsync(
            parseResult,
            json,
            (NodeOperations nodes, CancellationToken ct) => nodes.SetNodeActiveAsync(parseResult.GetValue(key)!, active, OperatorCommand.Actor(parseResult, actor), ct),
            OperatorJson.Default.NodeActivation,
            OperatorText.NodeActivation,
            cancellationToken));
        return command;
    }

    private static Command SetSecret() => SecretFromStdin(
        "set-secret",
        "Set the node's hub transfer secret (X-Network-Node-Secret), read as one line from stdin; only its PBKDF2 hash is stored.",
        "secret",
        (secrets, nodeKey, line, actor, ct) => secrets.SetNodeSecretAsync(nodeKey, line, actor, ct));

    private static Command ImportSecretHash() => SecretFromStdin(
        "import-secret-hash",
        "Store a node secret hash exported from a Python hub (pbkdf2_sha256$ITERATIONS$SALT$HASH), read as one line from stdin.",
        "hash",
        (secrets, nodeKey, line, actor, ct) => secrets.ImportNodeSecretHashAsync(nodeKey, line, actor, ct));

    // A node command whose one input line (a secret or its hash) comes from stdin, never from the command line.
    private static Command SecretFromStdin(string name, string description, string what,
        Func<NodeSecretOperations, string, string, string, CancellationToken, Task<NodeSecretView>> store)
    {
        var key = NodeKeyArgument();
        var json = OperatorCommand.JsonOption();
        var actor = OperatorCommand.ActorOption();
        var command = new Command(name, description);
        command.Arguments.Add(key);
        command.Options.Add(json);
        command.Options.Add(actor);
        command.SetAction((parseResult, cancellationToken) => OperatorCommand.RunAsync(
            parseResult,
            json,
            async (NodeSecretOperations secrets, CancellationToken ct) => await store(secrets, parseResult.GetValue(key)!, await ReadStdinLineAsync(what, ct), OperatorCommand.Actor(parseResult, actor), ct),
            OperatorJson.Default.NodeSecretView,
            OperatorText.NodeSecret,
            cancellationToken));
        return command;
    }

    /// <summary>One line from stdin (a secret never goes on the command line, where ps and shell history see it).</summary>
    private static async Task<string> ReadStdinLineAsync(string what, CancellationToken cancellationToken)
    {
        var line = await Console.In.ReadLineAsync(cancellationToken);
        if (string.IsNullOrEmpty(line))
        {
            throw new OperatorException(OperatorErrorKind.InvalidArgument, $"no {what} on stdin: pipe it in as one line");
        }

        return line.TrimEnd('\r');
    }
}
