using System.Security.Cryptography;
using Google.Protobuf;
using Grpc.Core;
using LxAnnotate.Hub.Tests.Support;
using LxAnnotate.Shared.Protos.V1;
using static LxAnnotate.Hub.Tests.Support.TransferClientExtensions;

namespace LxAnnotate.Hub.Tests.Transfer;

/// <summary><c>Deliver</c> (offer and bytes of a small artifact in one call) over real mTLS, against the hub in-process.</summary>
public sealed class DeliverTests
{
    [Fact]
    public async Task Deliver_SmallArtifact_StoredVerifiedAndJobCreatedWithoutTransfer()
    {
        await using var hub = await TransferHub.StartAsync();
        await hub.AddCenterAsync("center-a");
        var client = hub.Client(await hub.AddNodeAsync("node-a", "center-a"));
        var content = RandomNumberGenerator.GetBytes(100 * 1024);

        var reply = await client.DeliverAsync(DeliverFor(content), deadline: DateTime.UtcNow.AddSeconds(30));

        Assert.True(reply.Created);
        Assert.Equal(content.Length, reply.Size);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), reply.Sha256);
        var stored = Assert.Single(hub.StoredFiles());
        Assert.Equal(content, await File.ReadAllBytesAsync(Path.Combine(hub.StorageDir, stored)));
        Assert.Empty(hub.IncomingFiles());
        var job = await client.GetUploadJobAsync(new GetUploadJobRequest { UploadJobId = reply.UploadJobId });
        Assert.Equal("transfer", job.IngestMode);
        Assert.Equal("center-a", job.SourceCenterKey);
    }

    [Fact]
    public async Task Deliver_ContentAlreadyStored_ReturnsThatJobNotCreated()
    {
        await using var hub = await TransferHub.StartAsync();
        await hub.AddCenterAsync("center-a");
        var client = hub.Client(await hub.AddNodeAsync("node-a", "center-a"));
        var content = RandomNumberGenerator.GetBytes(5000);
        var (_, uploaded, _) = await client.SendAsync(content);

        var reply = await client.DeliverAsync(DeliverFor(content), deadline: DateTime.UtcNow.AddSeconds(30));
        var offer = await client.OfferAsync(OfferFor(content), deadline: DateTime.UtcNow.AddSeconds(30));

        Assert.False(reply.Created);
        Assert.Equal(uploaded!.UploadJobId, reply.UploadJobId);
        Assert.Equal(OfferReply.ResultOneofCase.AlreadyStored, offer.ResultCase);
        Assert.Single(hub.StoredFiles());
    }

    [Fact]
    public async Task Deliver_RetriedWithSameIdempotencyKey_ReturnsTheFirstJobAndLeavesNothingStaged()
    {
        await using var hub = await TransferHub.StartAsync();
        await hub.AddCenterAsync("center-a");
        var client = hub.Client(await hub.AddNodeAsync("node-a", "center-a"));
        var content = RandomNumberGenerator.GetBytes(64 * 1024);
        var request = DeliverFor(content);
        request.Offer.IdempotencyKey = "item-1";

        var first = await client.DeliverAsync(request, deadline: DateTime.UtcNow.AddSeconds(30));
        var retry = await client.DeliverAsync(request, deadline: DateTime.UtcNow.AddSeconds(30));

        Assert.True(first.Created);
        Assert.False(retry.Created);
        Assert.Equal(first.UploadJobId, retry.UploadJobId);
        Assert.Single(hub.StoredFiles());
        Assert.Empty(hub.IncomingFiles());
    }

    [Fact]
    public async Task Deliver_ContentDiffersFromDeclaredSha256_IsDataLossAndStoresNothing()
    {
        await using var hub = await TransferHub.StartAsync();
        await hub.AddCenterAsync("center-a");
        var client = hub.Client(await hub.AddNodeAsync("node-a", "center-a"));
        var content = RandomNumberGenerator.GetBytes(4096);
        var request = DeliverFor(content);
        var tampered = (byte[])content.Clone();
        tampered[^1] ^= 0xFF;
        request.Content = ByteString.CopyFrom(tampered);

        var ex = await ExpectRpcErrorAsync(() => client.DeliverAsync(request, deadline: DateTime.UtcNow.AddSeconds(30)).ResponseAsync);

        Assert.Equal(StatusCode.DataLoss, ex.StatusCode);
        Assert.Empty(hub.StoredFiles());
        Assert.Empty(hub.IncomingFiles());
    }

    [Theory]
    [InlineData("size")]
    [InlineData("limit")]
    public async Task Deliver_SizeNotDeclaredOrOverTheChunkLimit_IsInvalidArgumentNamingTheProblem(string problem)
    {
        await using var hub = await TransferHub.StartAsync();
        await hub.AddCenterAsync("center-a");
        var client = hub.Client(await hub.AddNodeAsync("node-a", "center-a"));
        var content = RandomNumberGenerator.GetBytes(problem == "limit" ? ChunkSize + 1 : 2000);
        var request = DeliverFor(content);
        if (problem == "size")
        {
            request.Offer.Size = 1999;
        }

        var ex = await ExpectRpcErrorAsync(() => client.DeliverAsync(request, deadline: DateTime.UtcNow.AddSeconds(30)).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Contains(problem == "limit" ? "Offer and Upload" : "declares 1999", ex.Status.Detail, StringComparison.Ordinal);
        Assert.Empty(hub.StoredFiles());
    }

    [Fact]
    public async Task Deliver_CenterOfAnotherCenter_IsPermissionDeniedAndStoresNothing()
    {
        await using var hub = await TransferHub.StartAsync();
        await hub.AddCenterAsync("center-a");
        await hub.AddCenterAsync("center-b");
        var client = hub.Client(await hub.AddNodeAsync("node-a", "center-a"));
        var content = RandomNumberGenerator.GetBytes(1000);
        var request = DeliverFor(content);
        request.Offer.CenterKey = "center-b";

        var ex = await ExpectRpcErrorAsync(() => client.DeliverAsync(request, deadline: DateTime.UtcNow.AddSeconds(30)).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
        Assert.Empty(hub.StoredFiles());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task DeliverMany_MixedItems_EachGetsDeliversOwnOutcomeInOrder_AndOnlyGoodOnesAreStored(bool centralHubOnPostgres)
    {
        await using var hub = await TransferHub.StartAsync(centralHub: centralHubOnPostgres);
        await hub.AddCenterAsync("center-a");
        await hub.AddCenterAsync("center-b");
        var client = hub.Client(await hub.AddNodeAsync("node-a", "center-a"));
        var good = RandomNumberGenerator.GetBytes(50_000);
        var tampered = DeliverFor(RandomNumberGenerator.GetBytes(3000));
        tampered.Content = ByteString.CopyFrom(RandomNumberGenerator.GetBytes(3000));
        var foreign = DeliverFor(RandomNumberGenerator.GetBytes(2000));
        foreign.Offer.CenterKey = "center-b";
        var alsoGood = RandomNumberGenerator.GetBytes(70_000);
        var noOffer = new DeliverRequest { Content = ByteString.CopyFrom(RandomNumberGenerator.GetBytes(500)) };
        var request = new DeliverManyRequest { Items = { DeliverFor(good), tampered, foreign, DeliverFor(alsoGood), DeliverFor(good), noOffer } };

        var reply = await client.DeliverManyAsync(request, deadline: DateTime.UtcNow.AddSeconds(30));

        Assert.Equal(6, reply.Outcomes.Count);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(good)), reply.Outcomes[0].Reply.Sha256);
        Assert.Null(reply.Outcomes[1].Reply);
        Assert.Equal((int)StatusCode.DataLoss, reply.Outcomes[1].ErrorCode);
        Assert.Null(reply.Outcomes[2].Reply);
        Assert.Equal((int)StatusCode.PermissionDenied, reply.Outcomes[2].ErrorCode);
        Assert.Contains("center-b", reply.Outcomes[2].ErrorMessage, StringComparison.Ordinal);
        Assert.True(reply.Outcomes[3].Reply.Created);

        // The same content twice in one call: the first item creates the job, the later one reuses it.
        Assert.True(reply.Outcomes[0].Reply.Created);
        Assert.False(reply.Outcomes[4].Reply.Created);
        Assert.Equal(reply.Outcomes[0].Reply.UploadJobId, reply.Outcomes[4].Reply.UploadJobId);
        Assert.Equal((int)StatusCode.InvalidArgument, reply.Outcomes[5].ErrorCode);
        Assert.Contains("needs an offer", reply.Outcomes[5].ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(2, hub.StoredFiles().Count);
        Assert.Empty(hub.IncomingFiles());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65)]
    public async Task DeliverMany_NoItemsOrTooMany_IsInvalidArgumentAndStoresNothing(int count)
    {
        await using var hub = await TransferHub.StartAsync();
        await hub.AddCenterAsync("center-a");
        var client = hub.Client(await hub.AddNodeAsync("node-a", "center-a"));
        var request = new DeliverManyRequest();
        request.Items.AddRange(Enumerable.Range(0, count).Select(_ => DeliverFor(RandomNumberGenerator.GetBytes(100))));

        var ex = await ExpectRpcErrorAsync(() => client.DeliverManyAsync(request, deadline: DateTime.UtcNow.AddSeconds(30)).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Contains($"this call has {count}", ex.Status.Detail, StringComparison.Ordinal);
        Assert.Empty(hub.StoredFiles());
    }

    private static DeliverRequest DeliverFor(byte[] content) => new() { Offer = OfferFor(content), Content = ByteString.CopyFrom(content) };
}
