using LxAnnotate.EndToEnd.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.EndToEnd.Tests.PythonEraTransfers;

/// <summary>
/// The switch-over shape: the Python-era sender through a Python-era hub's nginx left unchanged (it verifies the
/// node certificate and only says so in <c>X-Client-Cert-Verified</c>), and our hub with the original's env values
/// (<c>ENDOREG_HUB_TRANSFER_MTLS_META_KEY=HTTP_X_CLIENT_CERT_VERIFIED</c>, <c>_VALUE=SUCCESS</c>, no trusted proxy
/// list). The node is accepted on the attestation and its secret, as the original accepted it; a certificate that
/// reaches the hub anyway must be the node's.
/// </summary>
public sealed class HubTransferThroughOriginalNginxTests(HubTransferThroughOriginalNginxTests.OriginalNginxSiteFixture fixture)
    : IClassFixture<HubTransferThroughOriginalNginxTests.OriginalNginxSiteFixture>
{
    private HubTransferSite Site => fixture.Site;

    [Fact]
    public async Task Report30_AttestationAndNodeSecret_AppliedAsTheOriginalDid()
    {
        var (payload, media, key) = Site.NewReport("3.0");
        Assert.Equal(201, (await Site.CreateAsync(payload)).Status);

        var result = await Site.MediaAsync(key, "raw", media);

        Assert.Equal(200, result.Status);
        Assert.Equal("applied", result.Text("transfer_status"));
        await using var db = Site.Hub.Db();
        var job = await db.HubTransferJobs.SingleAsync(j => j.TransferKey == key);
        var upload = await db.UploadJobs.SingleAsync(u => u.Id == job.UploadJobId);
        Assert.Equal(HubTransferSite.NodeKey, upload.ProcessingProvenance.SourceNodeKey);

        // No certificate reached the hub: none is recorded.
        Assert.Null(upload.ProcessingProvenance.ClientCertThumbprint);
    }

    [Fact]
    public async Task Create_AttestedButWrongSecret_403()
    {
        var (payload, _, key) = Site.NewReport("3.0");

        var result = await Site.CreateAsync(payload, "--secret", "not-the-node-secret");

        Assert.Equal(403, result.Status);
        Assert.Equal("Invalid network node credentials.", result.Text("detail"));
        await using var db = Site.Hub.Db();
        Assert.False(await db.HubTransferJobs.AnyAsync(j => j.TransferKey == key));
    }

    [Fact]
    public async Task Create_ClientSuppliedCertificateOfAnotherNode_PassedThroughAndRefused()
    {
        // This nginx passes a client's X-SSL-Client-Cert through; the hub then checks it like a forwarded one.
        using var other = await Site.Hub.AddNodeAsync("node-other-" + Guid.NewGuid().ToString("N")[..8], HubTransferSite.CenterKey);
        var (payload, _, key) = Site.NewReport("3.0");

        var result = await Site.CreateAsync(payload, "--header", $"X-SSL-Client-Cert={Uri.EscapeDataString(other.ExportCertificatePem())}");

        Assert.Equal(403, result.Status);
        Assert.Equal("The client certificate belongs to a different node than X-Network-Node-Key.", result.Text("detail"));
        await using var db = Site.Hub.Db();
        Assert.False(await db.HubTransferJobs.AnyAsync(j => j.TransferKey == key));
    }

    [Fact]
    public async Task Create_ClientSuppliedGarbageCertificate_403()
    {
        var (payload, _, _) = Site.NewReport("3.0");

        var result = await Site.CreateAsync(payload, "--header", "X-SSL-Client-Cert=not-a-certificate");

        Assert.Equal(403, result.Status);
        Assert.Equal("The forwarded client certificate cannot be read.", result.Text("detail"));
    }

    /// <summary>One hub behind the original-shaped nginx for the class.</summary>
    public sealed class OriginalNginxSiteFixture : IAsyncLifetime
    {
        private HubTransferSite? site;

        internal HubTransferSite Site => site ?? throw new InvalidOperationException("not started");

        public async Task InitializeAsync() => site = await HubTransferSite.StartAsync(originalNginx: true);

        public async Task DisposeAsync()
        {
            if (site is not null)
            {
                await site.DisposeAsync();
            }
        }
    }
}
