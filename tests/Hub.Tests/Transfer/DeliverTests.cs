using System.Security.Cryptography;
using Google.Protobuf;
using Grpc.Core;
using LxAnnotate.Shared.Protos.V1;
using static LxAnnotate.Hub.Tests.Transfer.TransferClientExtensions;

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

    private static DeliverRequest DeliverFor(byte[] content) => new() { Offer = OfferFor(content), Content = ByteString.CopyFrom(content) };
}
