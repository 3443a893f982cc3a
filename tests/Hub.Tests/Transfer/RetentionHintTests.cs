using System.Security.Cryptography;
using Google.Protobuf;
using Grpc.Core;
using LxAnnotate.Hub.Tests.Support;
using LxAnnotate.Shared.Protos.V1;
using Microsoft.EntityFrameworkCore;
using static LxAnnotate.Hub.Tests.Support.TransferClientExtensions;

namespace LxAnnotate.Hub.Tests.Transfer;

/// <summary>
/// A node states what it does with its copy of a file once the hub stored it (<c>LXA_NODE_RETENTION</c>) in the
/// provenance hint <c>retention_policy</c>; the job's <c>retention_policy</c> then says the same, as the original's
/// watcher writes <c>delete_after_success</c> for the files it deletes. Without the hint it stays
/// <c>preserve_source</c>; any other value is refused at the offer.
/// </summary>
public sealed class RetentionHintTests
{
    [Theory]
    [InlineData("delete_after_success")]
    [InlineData("preserve_source")]
    public async Task Upload_OverLocalSocketWithRetentionHint_JobHasTheSendersRetention(string retention)
    {
        await using var hub = await TransferHub.StartAsync();
        await hub.AddCenterAsync("center-a");
        var content = RandomNumberGenerator.GetBytes(10_000);
        var offer = OfferFor(content, centerKey: null);
        offer.ProvenanceHints["watched_path"] = "/data/import/video_import/case.mp4";
        offer.ProvenanceHints["retention_policy"] = retention;

        var (_, reply, _) = await hub.LocalClient().SendAsync(content, offer);

        var job = await hub.WithDbAsync(db => db.UploadJobs.AsNoTracking().SingleAsync());
        Assert.Equal(reply!.UploadJobId, job.Id.ToString());
        Assert.Equal(retention, job.RetentionPolicy);
        Assert.Equal(retention, job.ProcessingProvenance.RetentionPolicy);
        Assert.Equal("/data/import/video_import/case.mp4", job.ProcessingProvenance.WatchedPath);
    }

    [Fact]
    public async Task Deliver_FromNodeWithoutRetentionHint_IsPreserveSource()
    {
        await using var hub = await TransferHub.StartAsync();
        await hub.AddCenterAsync("center-a");
        var client = hub.Client(await hub.AddNodeAsync("node-a", "center-a"));
        var content = RandomNumberGenerator.GetBytes(5_000);

        await client.DeliverAsync(new DeliverRequest { Offer = OfferFor(content), Content = ByteString.CopyFrom(content) });

        var job = await hub.WithDbAsync(db => db.UploadJobs.AsNoTracking().SingleAsync());
        Assert.Equal("preserve_source", job.RetentionPolicy);
    }

    [Fact]
    public async Task Offer_RetentionHintWithAnotherValue_IsInvalidArgumentNamingTheHint()
    {
        await using var hub = await TransferHub.StartAsync();
        await hub.AddCenterAsync("center-a");
        var client = hub.Client(await hub.AddNodeAsync("node-a", "center-a"));
        var offer = OfferFor([1, 2, 3]);
        offer.ProvenanceHints["retention_policy"] = "forever";

        var ex = await ExpectRpcErrorAsync(() => client.OfferAsync(offer).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Contains("retention_policy", ex.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(0, await hub.WithDbAsync(db => db.Transfers.CountAsync()));
    }
}
