using LxAnnotate.Node.Hosting;
using LxAnnotate.Shared.Configuration;

namespace LxAnnotate.Node.PythonEraHub;

/// <summary>Reads <c>LXA_NODE_HUB_PROTOCOL</c> and, for <c>python-era</c>, the settings it needs; every problem names its variable.</summary>
internal static class PythonEraHubSettingsResolver
{
    public const string ProtocolVariable = "LXA_NODE_HUB_PROTOCOL";

    public static PythonEraHubSettings Resolve(Func<string, string?> lookup, NodeSettings node, LxaRuntimeSettings runtime)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(runtime);
        string? Read(string name) => lookup(name) is { } v && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;

        var protocol = Read(ProtocolVariable)?.ToLowerInvariant() ?? "grpc";
        if (protocol == "grpc")
        {
            return PythonEraHubSettings.Disabled;
        }

        if (protocol != "python-era")
        {
            throw new ConfigurationContractException(ProtocolVariable, "must be grpc or python-era");
        }

        if (node.HubUrl is null)
        {
            throw new ConfigurationContractException("LXA_NODE_HUB_URL", "python-era sends to a remote hub: set LXA_NODE_HUB_URL=https://… (the hub's base URL)");
        }

        var nodeKey = node.NodeKey ?? throw new ConfigurationContractException("LXA_NODE_KEY", "python-era needs the node key the hub knows this node by (X-Network-Node-Key)");
        var version = Read("LXA_NODE_HUB_PAYLOAD_SCHEMA_VERSION") ?? PythonEraHubSettings.EnvelopeVersion;
        if (version is not (PythonEraHubSettings.EnvelopeVersion or PythonEraHubSettings.PlaintextVersion))
        {
            throw new ConfigurationContractException("LXA_NODE_HUB_PAYLOAD_SCHEMA_VERSION", "must be 3.0 (envelope) or 2.0 (plaintext)");
        }

        if (version == PythonEraHubSettings.EnvelopeVersion && node.ExportRecipientPublicKey is null)
        {
            throw new ConfigurationContractException("LX_ANNOTATE_HUB_EXPORT_RECIPIENT_PUBLIC_KEY_FILE", "payload schema 3.0 encrypts to the hub's public key: set it, or LXA_NODE_HUB_PAYLOAD_SCHEMA_VERSION=2.0");
        }

        // Items that name no center are the node's own center's (LX_ANNOTATE_DEFAULT_CENTER), as on the gRPC path.
        var center = Read("LXA_NODE_HUB_SOURCE_CENTER_KEY") ?? runtime.DefaultCenterKey;
        if (center is not null && !CenterKeys.IsValid(center))
        {
            throw new ConfigurationContractException("LXA_NODE_HUB_SOURCE_CENTER_KEY", "must be a valid center key ([a-z0-9][a-z0-9_-]{0,63})");
        }

        var target = Read("LXA_NODE_HUB_TARGET_NODE_KEY") ?? "hub";
        if (!NodeKeys.IsValid(target))
        {
            throw new ConfigurationContractException("LXA_NODE_HUB_TARGET_NODE_KEY", "must be 1 to 64 of a-z, 0-9, '_' and '-', starting with a letter or digit");
        }

        return new PythonEraHubSettings(true, nodeKey, Secret(Read("LXA_NODE_HUB_NODE_SECRET_FILE")), target, center, version);
    }

    /// <summary>The secret file's content, trimmed (as the original sender reads <c>--source-node-secret-file</c>).</summary>
    private static string Secret(string? file)
    {
        const string Variable = "LXA_NODE_HUB_NODE_SECRET_FILE";
        if (file is null)
        {
            throw new ConfigurationContractException(Variable, "python-era authenticates with the node secret: set the file that holds it");
        }

        if (!Path.IsPathFullyQualified(file) || !File.Exists(file))
        {
            throw new ConfigurationContractException(Variable, $"file '{file}' does not exist (an absolute path is required)");
        }

        var secret = File.ReadAllText(file).Trim();
        return secret.Length == 0 ? throw new ConfigurationContractException(Variable, $"file '{file}' is empty") : secret;
    }
}
