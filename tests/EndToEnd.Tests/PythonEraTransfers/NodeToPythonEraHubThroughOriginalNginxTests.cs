using LxAnnotate.EndToEnd.Tests.Support;
using LxAnnotate.TestSupport;

namespace LxAnnotate.EndToEnd.Tests.PythonEraTransfers;

/// <summary>
/// <c>lxa-node</c> (<c>python-era</c>) through a Python-era hub's own nginx, left unchanged: nginx verifies the
/// node's client certificate as it did for the Python node, and the hub sees the attestation and the node secret.
/// </summary>
public sealed class NodeToPythonEraHubThroughOriginalNginxTests(HubTransferThroughOriginalNginxTests.OriginalNginxSiteFixture fixture)
    : IClassFixture<HubTransferThroughOriginalNginxTests.OriginalNginxSiteFixture>
{
    private HubTransferSite Site => fixture.Site;

    [Fact]
    public async Task Push_PdfThroughTheOriginalNginx_Applied()
    {
        using var node = PythonEraNode.NewRoot();
        var pdf = PythonEraNode.Write(node, "via-nginx.pdf", "%PDF-1.7\n"u8, 250_000);

        var result = await PythonEraNode.RunAsync(Site, node, "push", pdf);

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        var (job, _) = await PythonEraNode.AppliedAsync(Site, pdf, "report");
        Assert.Equal("3.0", job.PayloadSchemaVersion);
    }

    [Fact]
    public async Task Push_CertificateOfAnUntrustedCa_NotDelivered()
    {
        using var node = PythonEraNode.NewRoot();
        var pdf = PythonEraNode.Write(node, "no-cert.pdf", "%PDF-1.7\n"u8, 20_000);

        // The right node key, but a certificate of a CA the hub's nginx does not trust.
        using var stranger = new TestPki();
        using var certificate = stranger.IssueNode(HubTransferSite.NodeKey);
        var (certFile, keyFile) = TestPki.WritePem(certificate, node.Path, "stranger");
        var result = await PythonEraNode.RunAsync(Site, node, ["push", "--timeout", "30", pdf], ("LXA_NODE_CERT_FILE", certFile), ("LXA_NODE_KEY_FILE", keyFile));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("NOT delivered", result.StandardOutput, StringComparison.Ordinal);
    }
}
