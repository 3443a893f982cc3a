using System.Security.Cryptography;
using LxAnnotate.EndToEnd.Tests.Support;
using LxAnnotate.Hub.Domain;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.EndToEnd.Tests.PythonEraTransfers;

/// <summary>
/// The deployed shape: the Python-era sender talks to the deploy template's nginx, which verifies the node
/// certificate, and the hub accepts the proxy's attestation (from its trusted proxy address only).
/// </summary>
public sealed class HubTransferThroughNginxTests(HubTransferThroughNginxTests.NginxSiteFixture fixture)
    : IClassFixture<HubTransferThroughNginxTests.NginxSiteFixture>
{
    private HubTransferSite Site => fixture.Site;

    [Fact]
    public async Task Envelope30Raw_ThroughAttestingNginx_AppliedWithReceipt()
    {
        // Several MiB, so the body really streams through nginx (request buffering is off for this location).
        var (payload, media, key) = Site.NewReport("3.0", size: 6 * 1024 * 1024 + 7);
        Assert.Equal(201, (await Site.CreateAsync(payload)).Status);

        var result = await Site.MediaAsync(key, "raw", media);

        Assert.Equal(200, result.Status);
        Assert.Equal("applied", result.Text("transfer_status"));
        var receipt = result.Body.GetProperty("envelope_receipt");
        Assert.True(receipt.GetProperty("verified").GetBoolean());
        Assert.Equal(6 * 1024 * 1024 + 7, receipt.GetProperty("plaintext_size").GetInt64());
        await using var db = Site.Hub.Db();
        var job = await db.HubTransferJobs.SingleAsync(j => j.TransferKey == key);
        var upload = await db.UploadJobs.SingleAsync(u => u.Id == job.UploadJobId);
        Assert.Equal((IngestMode.Transfer, HubTransferSite.NodeKey), (upload.IngestMode, upload.ProcessingProvenance.SourceNodeKey));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(media))), upload.ContentHash);
        Assert.NotNull(upload.ProcessingProvenance.EnvelopeFingerprintSha256);
    }

    [Fact]
    public async Task Plaintext20_ThroughAttestingNginx_CountsAsVerifiedMtls()
    {
        var (payload, media, key) = Site.NewReport("2.0");
        Assert.Equal(201, (await Site.CreateAsync(payload)).Status);

        var result = await Site.MediaAsync(key, "plain", media);

        Assert.Equal(200, result.Status);
        Assert.Equal("applied", result.Text("transfer_status"));
    }

    [Fact]
    public async Task Create_NoClientCertificate_RefusedByNginx_NothingReachesTheHub()
    {
        var (payload, _, key) = Site.NewReport("3.0");

        var result = await Site.CreateAsync(payload, "--no-cert");

        Assert.Equal(400, result.Status);
        Assert.Contains("No required SSL certificate was sent", result.Body.GetString(), StringComparison.Ordinal);
        await using var db = Site.Hub.Db();
        Assert.False(await db.HubTransferJobs.AnyAsync(j => j.TransferKey == key));
    }

    [Fact]
    public async Task Create_ForgedCertificateAndAttestationThroughTheRestServer_NotTrusted()
    {
        // Everything the hub would believe from its proxy, sent by a client to nginx's REST server with the node's
        // real certificate and secret: the template clears the attestation and the certificate header there, so
        // the hub sees a request without a verified certificate.
        var (payload, _, key) = Site.NewReport("3.0");
        var forwarded = Uri.EscapeDataString(await File.ReadAllTextAsync(Site.CertificateFile));

        var result = await Site.CreateAsync(payload, "--via-api-server", "--no-cert",
            "--header", $"{HubTransferSite.AttestationHeader}={HubTransferSite.AttestationValue}",
            "--header", $"X-SSL-Client-Cert={forwarded}",
            "--header", "X-SSL-Client-Verify=SUCCESS");

        Assert.Equal(403, result.Status);
        Assert.Contains("client certificate", result.Text("detail"), StringComparison.Ordinal);
        await using var db = Site.Hub.Db();
        Assert.False(await db.HubTransferJobs.AnyAsync(j => j.TransferKey == key));
    }

    [Fact]
    public async Task Create_ForgedCertificateHeaderOnTheNodeServer_ReplacedByTheVerifiedOne()
    {
        // The node sends another node's certificate in the header the hub reads; nginx overwrites it with the
        // certificate it verified. Had the forged one reached the hub, it would name another node: a 403.
        using var other = await Site.Hub.AddNodeAsync("node-forged-" + Guid.NewGuid().ToString("N")[..8], HubTransferSite.CenterKey);
        var (payload, _, _) = Site.NewReport("3.0");

        var result = await Site.CreateAsync(payload, "--header", $"X-SSL-Client-Cert={Uri.EscapeDataString(other.ExportCertificatePem())}");

        Assert.Equal(201, result.Status);
    }

    /// <summary>One hub behind one nginx for the class.</summary>
    public sealed class NginxSiteFixture : IAsyncLifetime
    {
        private HubTransferSite? site;

        internal HubTransferSite Site => site ?? throw new InvalidOperationException("not started");

        public async Task InitializeAsync() => site = await HubTransferSite.StartAsync(behindNginx: true);

        public async Task DisposeAsync()
        {
            if (site is not null)
            {
                await site.DisposeAsync();
            }
        }
    }
}
