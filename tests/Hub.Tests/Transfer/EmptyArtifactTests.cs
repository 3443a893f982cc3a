using System.Net;
using Google.Protobuf;
using Grpc.Core;
using LxAnnotate.Hub.Tests.Support;
using Microsoft.EntityFrameworkCore;
using static LxAnnotate.Hub.Tests.Support.TransferClientExtensions;

namespace LxAnnotate.Hub.Tests.Transfer;

/// <summary>A 0-byte artifact is refused on every path, as the original refuses an empty file; nothing is recorded.</summary>
public sealed class EmptyArtifactTests
{
    [Fact]
    public async Task Offer_SizeZero_IsInvalidArgumentAndOpensNoTransfer()
    {
        await using var hub = await TransferHub.StartAsync();
        await hub.AddCenterAsync("center-a");
        var client = hub.Client(await hub.AddNodeAsync("node-a", "center-a"));

        var ex = await ExpectRpcErrorAsync(() => client.OfferAsync(OfferFor([]), deadline: DateTime.UtcNow.AddSeconds(30)).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Contains("empty", ex.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(0, await hub.WithDbAsync(db => db.Transfers.CountAsync()));
        Assert.Equal(0, await hub.WithDbAsync(db => db.UploadJobs.CountAsync()));
    }

    [Fact]
    public async Task Deliver_ZeroBytes_IsInvalidArgumentAndStoresNothing()
    {
        await using var hub = await TransferHub.StartAsync();
        await hub.AddCenterAsync("center-a");
        var client = hub.Client(await hub.AddNodeAsync("node-a", "center-a"));
        var request = new Shared.Protos.V1.DeliverRequest { Offer = OfferFor([]), Content = ByteString.Empty };

        var ex = await ExpectRpcErrorAsync(() => client.DeliverAsync(request, deadline: DateTime.UtcNow.AddSeconds(30)).ResponseAsync);
        var many = await client.DeliverManyAsync(new Shared.Protos.V1.DeliverManyRequest { Items = { request } }, deadline: DateTime.UtcNow.AddSeconds(30));

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Contains("empty", ex.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(StatusCode.InvalidArgument, (StatusCode)Assert.Single(many.Outcomes).ErrorCode);
        Assert.Equal(0, await hub.WithDbAsync(db => db.UploadJobs.CountAsync()));
        Assert.Empty(hub.StoredFiles());
        Assert.Empty(hub.IncomingFiles());
    }

    [Fact]
    public async Task Upload_EmptyFile_Returns400AndStoresNothing()
    {
        await using var hub = await HubTestHost.StandaloneAsync(oidc: false, new Dictionary<string, string?> { ["LX_ANNOTATE_DEFAULT_CENTER"] = "center-a" });
        await hub.AddCentersAsync("center-a");

        using var response = await hub.UploadAsync(UploadContent.Form([]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("empty", (await HubTestHost.JsonAsync(response)).GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await hub.WithDbAsync(db => db.UploadJobs.CountAsync()));
        Assert.Empty(hub.StoredFiles());
        Assert.Empty(hub.StagedFiles());
    }
}
