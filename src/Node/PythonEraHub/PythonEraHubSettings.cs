namespace LxAnnotate.Node.PythonEraHub;

/// <summary>
/// How <c>lxa-node</c> sends to a hub that still runs the Python-era <c>/api/media/hub/transfers/</c> API
/// (<c>LXA_NODE_HUB_PROTOCOL=python-era</c>). The URL, client certificate, key, CA and node key are the node's
/// usual <c>LXA_NODE_HUB_URL</c>, <c>LXA_NODE_CERT_FILE</c>, <c>LXA_NODE_KEY_FILE</c>, <c>LXA_NODE_HUB_CA_FILE</c>
/// and <c>LXA_NODE_KEY</c> (the original sender's <c>--target-url</c>, <c>--client-certificate-file</c>,
/// <c>--client-key-file</c>, <c>--ca-file</c>, <c>--source-node-key</c>).
/// </summary>
/// <param name="Enabled">False for the default gRPC protocol; every other property is then unused.</param>
/// <param name="NodeSecret">The node secret sent as <c>X-Network-Node-Secret</c> (read from a file, never logged).</param>
/// <param name="TargetNodeKey">The hub's node key (<c>target_node_key</c>).</param>
/// <param name="SourceCenterKey">The center named for items that carry none of their own.</param>
/// <param name="PayloadSchemaVersion"><c>3.0</c> (media in the envelope) or <c>2.0</c> (plaintext media).</param>
internal sealed record PythonEraHubSettings(
    bool Enabled,
    string NodeKey,
    string NodeSecret,
    string TargetNodeKey,
    string? SourceCenterKey,
    string PayloadSchemaVersion)
{
    public const string EnvelopeVersion = "3.0";

    public const string PlaintextVersion = "2.0";

    public static readonly PythonEraHubSettings Disabled = new(false, "", "", "", null, EnvelopeVersion);

    /// <summary>The secret never appears in a log line or exception text.</summary>
    public override string ToString() => $"PythonEraHubSettings {{ Enabled = {Enabled}, NodeKey = {NodeKey}, TargetNodeKey = {TargetNodeKey}, PayloadSchemaVersion = {PayloadSchemaVersion} }}";
}
