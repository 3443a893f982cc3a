using System.Security.Cryptography;
using LxAnnotate.EndToEnd.Tests.Support;
using LxAnnotate.Hub.Domain;
using LxAnnotate.Shared.Envelope;
using LxAnnotate.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.EndToEnd.Tests.PythonEraTransfers;

/// <summary>
/// Staged upgrade: the real <c>lxa-node</c> with <c>LXA_NODE_HUB_PROTOCOL=python-era</c> sends to a hub that
/// still speaks the Python-era <c>/api/media/hub/transfers/</c> API. Our hub's endpoint (checked against the
/// independent Python sender in <see cref="HubTransferSenderTests"/>) stands in for the original receiver.
/// </summary>
public sealed class NodeToPythonEraHubTests(HubTransferFixture fixture) : IClassFixture<HubTransferFixture>
{
    private HubTransferSite Site => fixture.Site;

    [Fact]
    public async Task Push_PdfAndVideoAsEnvelope30_AppliedWithTheirHashes()
    {
        using var node = PythonEraNode.NewRoot();
        var pdf = PythonEraNode.Write(node, "report.pdf", "%PDF-1.7\n"u8, 300_000);
        var video = PythonEraNode.Write(node, "case.mp4", "\0\0\0\u0018ftypisom"u8, 3 * 1024 * 1024 + 17);

        var result = await PythonEraNode.RunAsync(Site, node, "push", pdf, video);

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        foreach (var (file, kind) in new[] { (pdf, "report"), (video, "video") })
        {
            var (job, upload) = await PythonEraNode.AppliedAsync(Site, file, kind);
            Assert.Equal("3.0", job.PayloadSchemaVersion);
            Assert.Matches("^[0-9a-f]{64}$", upload.ProcessingProvenance.EnvelopeFingerprintSha256);
            Assert.Equal(HubTransferSite.CenterKey, job.SourceCenterKey);
        }

        // Nothing of the staged envelopes outlives the delivery.
        Assert.Empty(Directory.GetFiles(node.Path, "*.envelope*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Run_DroppedPdf_AppliedAtThePythonEraHub()
    {
        using var node = PythonEraNode.NewRoot();
        var environment = PythonEraNode.Environment(Site, node, ("WATCHER_STABLE_AFTER_SECONDS", "1"), ("WATCHER_POLL_INTERVAL_SECONDS", "1"));
        await using var run = ChildProcess.StartDotnet(Binaries.Node, ["run"], environment);
        var folder = node.Combine("import", "report_import");
        for (var i = 0; i < 600 && !Directory.Exists(folder); i++)
        {
            await Task.Delay(100);
        }

        var content = RandomNumberGenerator.GetBytes(70_000);
        "%PDF-1.7\n"u8.CopyTo(content);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(content));
        var key = $"{HubTransferSite.NodeKey}__report__{sha256}__processed_v1";
        var kept = node.Combine("dropped-copy.pdf");
        await File.WriteAllBytesAsync(kept, content);
        await File.WriteAllBytesAsync(Path.Combine(folder, "dropped.pdf"), content);

        var applied = false;
        for (var i = 0; i < 1200 && !applied; i++)
        {
            await Task.Delay(100);
            await using var db = Site.Hub.Db();
            applied = await db.HubTransferJobs.AsNoTracking().AnyAsync(j => j.TransferKey == key && j.TransferStatus == HubTransferStatus.Applied);
        }

        Assert.True(applied, "the dropped PDF was not applied at the hub");
        await PythonEraNode.AppliedAsync(Site, kept, "report");
    }

    [Fact]
    public async Task Push_SameFileFromAFreshOutbox_AnsweredAsAppliedWithoutASecondJob()
    {
        using var node = PythonEraNode.NewRoot();
        var pdf = PythonEraNode.Write(node, "again.pdf", "%PDF-1.4\n"u8, 50_000);
        var first = await PythonEraNode.RunAsync(Site, node, "push", pdf);
        Assert.True(first.ExitCode == 0, first.StandardOutput + first.StandardError);
        var (job, upload) = await PythonEraNode.AppliedAsync(Site, pdf, "report");

        // A node that crashed after the hub applied the media but before it recorded the receipt: its outbox
        // no longer knows the item. The same transfer_key and payload meet the hub's 200 with the applied job.
        Directory.Delete(Path.Combine(node.Path, "node"), recursive: true);
        var again = await PythonEraNode.RunAsync(Site, node, "push", pdf);

        Assert.True(again.ExitCode == 0, again.StandardOutput + again.StandardError);
        Assert.Contains($"delivered, upload job {upload.Id}", again.StandardOutput, StringComparison.Ordinal);
        await using var db = Site.Hub.Db();
        Assert.Equal(1, await db.HubTransferJobs.CountAsync(j => j.TransferKey == job.TransferKey));
        Assert.Equal(1, await db.UploadJobs.CountAsync(u => u.ContentHash == upload.ContentHash));
        Assert.Equal(HubTransferStatus.Applied, (await db.HubTransferJobs.SingleAsync(j => j.TransferKey == job.TransferKey)).TransferStatus);
    }

    [Fact]
    public async Task Push_NodeKilledMidUpload_RetrySendsTheSameEnvelopeUnderTheSameKey()
    {
        using var node = PythonEraNode.NewRoot();
        var video = PythonEraNode.Write(node, "long.mp4", "\0\0\0\u0018ftypisom"u8, 192 * 1024 * 1024);
        var key = $"{HubTransferSite.NodeKey}__video__{Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(video)))}__processed_v1";

        await using (var first = ChildProcess.StartDotnet(Binaries.Node, ["push", video], PythonEraNode.Environment(Site, node)))
        {
            for (var i = 0; i < 3000; i++)
            {
                await using var db = Site.Hub.Db();
                if (await db.HubTransferJobs.AsNoTracking().AnyAsync(j => j.TransferKey == key && j.MediaUploadStartedAt != null))
                {
                    break;
                }

                await Task.Delay(20);
            }

            await first.KillAsync();
        }

        // The envelope staged by the killed run (gone only if that run finished first) is what the retry sends.
        var staged = Directory.GetFiles(node.Path, "*.envelope.json", SearchOption.AllDirectories).SingleOrDefault();
        var stagedFingerprint = staged is null ? null : MediaEnvelope.Parse(await File.ReadAllTextAsync(staged)).FingerprintSha256();
        var second = await PythonEraNode.RunAsync(Site, node, "push", video);

        Assert.True(second.ExitCode == 0, second.StandardOutput + second.StandardError);
        var (_, upload) = await PythonEraNode.AppliedAsync(Site, video, "video");
        if (stagedFingerprint is not null)
        {
            Assert.Equal(stagedFingerprint, upload.ProcessingProvenance.EnvelopeFingerprintSha256);
        }

        await using var check = Site.Hub.Db();
        Assert.Equal(1, await check.HubTransferJobs.CountAsync(j => j.TransferKey == key));
        Assert.Equal(1, await check.UploadJobs.CountAsync(u => u.ContentHash == upload.ContentHash));
        Assert.Empty(Directory.GetFiles(node.Path, "*.envelope*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Push_Plaintext20WhenConfigured_AppliedWithoutEnvelope()
    {
        using var node = PythonEraNode.NewRoot();
        var pdf = PythonEraNode.Write(node, "plain.pdf", "%PDF-1.7\n"u8, 120_000);

        var result = await PythonEraNode.RunAsync(Site, node, ["push", pdf], ("LXA_NODE_HUB_PAYLOAD_SCHEMA_VERSION", "2.0"));

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        var (job, upload) = await PythonEraNode.AppliedAsync(Site, pdf, "report");
        Assert.Equal("2.0", job.PayloadSchemaVersion);
        Assert.Null(upload.ProcessingProvenance.EnvelopeFingerprintSha256);
    }

    [Fact]
    public async Task Push_WrongNodeSecret_RefusedWith403AndNothingApplied()
    {
        using var node = PythonEraNode.NewRoot();
        await File.WriteAllTextAsync(node.Combine("secret"), "not-the-secret\n");
        var pdf = PythonEraNode.Write(node, "denied.pdf", "%PDF-1.7\n"u8, 10_000);

        var result = await PythonEraNode.RunAsync(Site, node, "push", "--timeout", "60", pdf);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("HTTP 403", result.StandardOutput, StringComparison.Ordinal);
        await using var db = Site.Hub.Db();
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(pdf)));
        Assert.False(await db.HubTransferJobs.AnyAsync(j => j.ResourceHash == sha256));
    }
}
