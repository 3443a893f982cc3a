using LxAnnotate.TestSupport;

namespace LxAnnotate.EndToEnd.Tests.Support;

/// <summary>
/// A site node's data root with no certificate yet, for the real <c>lxa-node enroll</c>: it knows only the
/// CA that signed the hub's server certificate and its node key. After enrollment <see cref="UseEnrolledCertificate"/>
/// points the node's mTLS settings at the files enrollment wrote.
/// </summary>
internal sealed class EnrolledNode : IDisposable
{
    private EnrolledNode(TempDirectory root, HubProcess hub, Dictionary<string, string?> environment)
    {
        Root = root;
        Hub = hub;
        Environment = environment;
    }

    public TempDirectory Root { get; }

    public HubProcess Hub { get; }

    public Dictionary<string, string?> Environment { get; }

    public string KeyFile => Root.Combine("node", "node.key.pem");

    public string CertificateFile => Root.Combine("node", "node.crt.pem");

    public static EnrolledNode Create(HubProcess hub, string nodeKey, string centerKey)
    {
        ArgumentNullException.ThrowIfNull(hub);
        var root = new TempDirectory();
        var environment = new Dictionary<string, string?>
        {
            ["ENDOREG_DEPLOYMENT_ROLE"] = "site_node",
            ["LX_ANNOTATE_ENCRYPTED_DATA_DIR"] = root.Path,
            ["LX_ANNOTATE_DEFAULT_CENTER"] = centerKey,
            ["LXA_NODE_HUB_CA_FILE"] = hub.Pki.WriteCaPem(root.Path),
            ["LXA_NODE_KEY"] = nodeKey,
        };
        return new EnrolledNode(root, hub, environment);
    }

    public Task<ProcessResult> EnrollAsync(string token, params string[] extra) =>
        RunAsync(["enroll", "--hub", Hub.ApiUrl.ToString().TrimEnd('/'), "--token", token, .. extra]);

    /// <summary>From now on the node sends to the transfer listener with the certificate enrollment wrote.</summary>
    public void UseEnrolledCertificate()
    {
        Environment["LXA_NODE_HUB_URL"] = $"https://127.0.0.1:{Hub.TransferPort}";
        Environment["LXA_NODE_CERT_FILE"] = CertificateFile;
        Environment["LXA_NODE_KEY_FILE"] = KeyFile;
    }

    public Task<ProcessResult> RunAsync(params string[] arguments) =>
        ProcessRunner.RunDotnetAsync(Binaries.Node, arguments, Environment, TimeSpan.FromMinutes(3));

    public void Dispose() => Root.Dispose();
}
