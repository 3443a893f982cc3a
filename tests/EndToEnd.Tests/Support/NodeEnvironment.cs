using LxAnnotate.TestSupport;

namespace LxAnnotate.EndToEnd.Tests.Support;

/// <summary>A site node's data root and certificate, registered at <paramref name="hub"/>, for running the real <c>lxa-node</c>.</summary>
internal sealed class NodeEnvironment : IDisposable
{
    private NodeEnvironment(TempDirectory root, Dictionary<string, string?> environment)
    {
        Root = root;
        Environment = environment;
    }

    public TempDirectory Root { get; }

    public Dictionary<string, string?> Environment { get; }

    public static async Task<NodeEnvironment> CreateAsync(HubProcess hub, string nodeKey, string centerKey)
    {
        var root = new TempDirectory();
        var certificate = await hub.AddNodeAsync(nodeKey, centerKey);
        var (certFile, keyFile) = TestPki.WritePem(certificate, root.Path, nodeKey);
        var environment = new Dictionary<string, string?>
        {
            ["ENDOREG_DEPLOYMENT_ROLE"] = "site_node",
            ["LX_ANNOTATE_ENCRYPTED_DATA_DIR"] = root.Path,
            ["LX_ANNOTATE_DEFAULT_CENTER"] = centerKey,
            ["LXA_NODE_HUB_URL"] = $"https://127.0.0.1:{hub.TransferPort}",
            ["LXA_NODE_CERT_FILE"] = certFile,
            ["LXA_NODE_KEY_FILE"] = keyFile,
            ["LXA_NODE_HUB_CA_FILE"] = hub.Pki.WriteCaPem(root.Path),
            ["WATCHER_STABLE_AFTER_SECONDS"] = "1",
            ["WATCHER_POLL_INTERVAL_SECONDS"] = "1",
        };
        return new NodeEnvironment(root, environment);
    }

    public Task<ProcessResult> RunAsync(params string[] arguments) =>
        ProcessRunner.RunDotnetAsync(Binaries.Node, arguments, Environment, TimeSpan.FromMinutes(3));

    public void Dispose() => Root.Dispose();
}
