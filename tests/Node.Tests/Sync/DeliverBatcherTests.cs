using System.Collections.Concurrent;
using Google.Protobuf;
using Grpc.Core;
using LxAnnotate.Node.Sync;
using LxAnnotate.Node.Tests.Support;
using LxAnnotate.Shared.Protos.V1;
using Microsoft.Extensions.Logging.Abstractions;

namespace LxAnnotate.Node.Tests.Sync;

/// <summary>
/// <see cref="DeliverBatcher"/> against an in-process gRPC server on a Unix socket that stands in for the hub:
/// one that knows <c>DeliverMany</c>, and one that predates it (UNIMPLEMENTED).
/// </summary>
public sealed class DeliverBatcherTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task RequestsReadyTogether_GoInFewerCalls_EachWithItsOwnReceiptOrError()
    {
        var hub = new FakeHub(deliversMany: true);
        await using var server = await FakeHubServer.StartAsync(hub);
        using var connection = server.Connection();
        var batcher = new DeliverBatcher(connection, NullLogger<DeliverBatcher>.Instance);

        var requests = Enumerable.Range(0, 20).Select(i => Request($"item-{i}", 10_000, refuse: i == 7)).ToList();
        var results = requests.Select(r => batcher.DeliverAsync(r, CancellationToken.None)).ToList();

        for (var i = 0; i < results.Count; i++)
        {
            if (i == 7)
            {
                var refused = await Assert.ThrowsAsync<RpcException>(() => results[i].WaitAsync(Timeout));
                Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
                Assert.Equal("refused: item-7", refused.Status.Detail);
            }
            else
            {
                var receipt = await results[i].WaitAsync(Timeout);
                Assert.Equal($"job-item-{i}", receipt.UploadJobId);
                Assert.Equal(requests[i].Offer.Sha256, receipt.Sha256);
            }
        }

        Assert.Equal(20, hub.ItemsPerManyCall.Sum());
        Assert.True(hub.ItemsPerManyCall.Count < 20, $"{hub.ItemsPerManyCall.Count} calls for 20 items");
        Assert.Equal(0, hub.SingleCalls);
    }

    [Fact]
    public async Task LargeItems_AreSplitSoNoCallExceedsTheHubsMessageLimit()
    {
        var hub = new FakeHub(deliversMany: true);
        await using var server = await FakeHubServer.StartAsync(hub);
        using var connection = server.Connection();
        var batcher = new DeliverBatcher(connection, NullLogger<DeliverBatcher>.Instance);

        var results = Enumerable.Range(0, 9).Select(i => batcher.DeliverAsync(Request($"big-{i}", 300 * 1024), CancellationToken.None)).ToList();
        await Task.WhenAll(results).WaitAsync(Timeout);

        Assert.Equal(9, hub.ItemsPerManyCall.Sum());
        Assert.All(hub.ItemsPerManyCall, count => Assert.InRange(count, 1, 3));
    }

    [Fact]
    public async Task HubWithoutDeliverMany_EveryItemGoesAsOneDeliverCall()
    {
        var hub = new FakeHub(deliversMany: false);
        await using var server = await FakeHubServer.StartAsync(hub);
        using var connection = server.Connection();
        var batcher = new DeliverBatcher(connection, NullLogger<DeliverBatcher>.Instance);

        var first = Enumerable.Range(0, 10).Select(i => batcher.DeliverAsync(Request($"old-{i}", 5_000), CancellationToken.None)).ToList();
        var receipts = await Task.WhenAll(first).WaitAsync(Timeout);
        var later = await batcher.DeliverAsync(Request("old-later", 5_000), CancellationToken.None).WaitAsync(Timeout);

        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"job-old-{i}"), receipts.Select(r => r.UploadJobId));
        Assert.Equal("job-old-later", later.UploadJobId);
        Assert.Equal(11, hub.SingleCalls);
        Assert.Empty(hub.ItemsPerManyCall);
    }

    private static DeliverRequest Request(string key, int size, bool refuse = false)
    {
        var content = new byte[size];
        Random.Shared.NextBytes(content);
        return new DeliverRequest
        {
            Offer = new OfferRequest
            {
                Sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content)),
                Size = size,
                ContentType = refuse ? "application/x-refuse" : "application/pdf",
                IdempotencyKey = key,
            },
            Content = ByteString.CopyFrom(content),
        };
    }

    /// <summary>Answers every item with a receipt named after its idempotency key, or refuses it when asked to.</summary>
    private sealed class FakeHub(bool deliversMany) : Transfer.TransferBase
    {
        private int singleCalls;

        public ConcurrentQueue<int> ItemsPerManyCall { get; } = new();

        public int SingleCalls => Volatile.Read(ref singleCalls);

        public override Task<UploadReply> Deliver(DeliverRequest request, ServerCallContext context)
        {
            Interlocked.Increment(ref singleCalls);
            return Task.FromResult(Receipt(request));
        }

        public override async Task<DeliverManyReply> DeliverMany(DeliverManyRequest request, ServerCallContext context)
        {
            if (!deliversMany)
            {
                return await base.DeliverMany(request, context);
            }

            ItemsPerManyCall.Enqueue(request.Items.Count);

            // Long enough for the requests that arrive meanwhile to queue up behind the calls in flight.
            await Task.Delay(20);
            var reply = new DeliverManyReply();
            foreach (var item in request.Items)
            {
                reply.Outcomes.Add(item.Offer.ContentType == "application/x-refuse"
                    ? new DeliverOutcome { ErrorCode = (int)StatusCode.PermissionDenied, ErrorMessage = $"refused: {item.Offer.IdempotencyKey}" }
                    : new DeliverOutcome { Reply = Receipt(item) });
            }

            return reply;
        }

        private static UploadReply Receipt(DeliverRequest request) => new()
        {
            UploadJobId = $"job-{request.Offer.IdempotencyKey}",
            Created = true,
            Size = request.Offer.Size,
            Sha256 = request.Offer.Sha256,
            Status = "pending",
        };
    }
}
