using System.Security.Cryptography;
using Google.Protobuf;
using Grpc.Core;
using LxAnnotate.Hub.Tests.Support;
using LxAnnotate.Shared.Protos.V1;
using Microsoft.EntityFrameworkCore;
using static LxAnnotate.Hub.Tests.Support.TransferClientExtensions;

namespace LxAnnotate.Hub.Tests.Transfer;

/// <summary>
/// A used idempotency key with other content is refused on every gRPC path (<c>ALREADY_EXISTS</c>), stores nothing and
/// is audited; the same key with the same content still answers the existing job.
/// </summary>
public sealed class IdempotencyConflictTests
{
    private const string Key = "exam-4711";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Deliver_UsedKeyOtherContent_IsAlreadyExistsAndStoresNothing(bool centralHubOnPostgres)
    {
        await using var hub = await TransferHub.StartAsync(centralHub: centralHubOnPostgres);
        await hub.AddCenterAsync("center-a");
        var client = hub.Client(await hub.AddNodeAsync("node-a", "center-a"));
        var first = await client.DeliverAsync(Keyed(RandomNumberGenerator.GetBytes(4000)), deadline: Deadline());
        var stored = hub.StoredFiles();

        var ex = await ExpectRpcErrorAsync(() => client.DeliverAsync(Keyed(RandomNumberGenerator.GetBytes(4000)), deadline: Deadline()).ResponseAsync);

        Assert.True(first.Created);
        AssertConflict(ex.StatusCode, ex.Status.Detail);
        Assert.Equal(1, await hub.WithDbAsync(db => db.UploadJobs.CountAsync()));
        Assert.Equal(stored, hub.StoredFiles());
        Assert.Empty(hub.IncomingFiles());
        AssertAudited(hub);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task DeliverMany_UsedKeyOtherContent_RefusesThatItemOnly(bool centralHubOnPostgres)
    {
        await using var hub = await TransferHub.StartAsync(centralHub: centralHubOnPostgres);
        await hub.AddCenterAsync("center-a");
        var client = hub.Client(await hub.AddNodeAsync("node-a", "center-a"));
        var keyed = RandomNumberGenerator.GetBytes(3000);
        var first = await client.DeliverAsync(Keyed(keyed), deadline: Deadline());
        var fresh = RandomNumberGenerator.GetBytes(2000);
        var inCall = RandomNumberGenerator.GetBytes(2500);
        var request = new DeliverManyRequest
        {
            Items =
            {
                Keyed(RandomNumberGenerator.GetBytes(3000)),
                Deliver(fresh),
                Keyed(keyed),
                Keyed(inCall, "in-call"),
                Keyed(RandomNumberGenerator.GetBytes(1000), "in-call"),
            },
        };

        var reply = await client.DeliverManyAsync(request, deadline: Deadline());

        Assert.Equal(5, reply.Outcomes.Count);
        Assert.Null(reply.Outcomes[0].Reply);
        AssertConflict((StatusCode)reply.Outcomes[0].ErrorCode, reply.Outcomes[0].ErrorMessage);
        Assert.True(reply.Outcomes[1].Reply.Created);
        Assert.Equal((first.UploadJobId, false), (reply.Outcomes[2].Reply.UploadJobId, reply.Outcomes[2].Reply.Created));
        Assert.True(reply.Outcomes[3].Reply.Created);

        // Within one call: the later item with the key the earlier one claimed, and other bytes, is refused.
        Assert.Null(reply.Outcomes[4].Reply);
        Assert.Equal(StatusCode.AlreadyExists, (StatusCode)reply.Outcomes[4].ErrorCode);
        Assert.Contains("in-call", reply.Outcomes[4].ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(3, await hub.WithDbAsync(db => db.UploadJobs.CountAsync()));
        Assert.Equal(3, hub.StoredFiles().Count);
        Assert.Empty(hub.IncomingFiles());
        AssertAudited(hub);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Offer_UsedKeyOtherContent_IsAlreadyExistsAndOpensNoTransfer(bool centralHubOnPostgres)
    {
        await using var hub = await TransferHub.StartAsync(centralHub: centralHubOnPostgres);
        await hub.AddCenterAsync("center-a");
        var client = hub.Client(await hub.AddNodeAsync("node-a", "center-a"));
        var content = RandomNumberGenerator.GetBytes(5000);
        var (_, uploaded, _) = await client.SendAsync(content, KeyedOffer(content));
        var stored = hub.StoredFiles();

        var other = RandomNumberGenerator.GetBytes(5000);
        var ex = await ExpectRpcErrorAsync(() => client.OfferAsync(KeyedOffer(other), deadline: Deadline()).ResponseAsync);
        var same = await client.OfferAsync(KeyedOffer(content), deadline: Deadline());

        AssertConflict(ex.StatusCode, ex.Status.Detail);
        Assert.Equal(OfferReply.ResultOneofCase.AlreadyStored, same.ResultCase);
        Assert.Equal(uploaded!.UploadJobId, same.AlreadyStored.UploadJobId);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), same.AlreadyStored.Sha256);
        Assert.Equal(1, await hub.WithDbAsync(db => db.UploadJobs.CountAsync()));
        Assert.Equal(1, await hub.WithDbAsync(db => db.Transfers.CountAsync()));
        Assert.Equal(stored, hub.StoredFiles());
        AssertAudited(hub);
    }

    private static void AssertConflict(StatusCode code, string message)
    {
        Assert.Equal(StatusCode.AlreadyExists, code);
        Assert.Contains(Key, message, StringComparison.Ordinal);
        Assert.Contains("content differs", message, StringComparison.Ordinal);
    }

    private static void AssertAudited(TransferHub hub) =>
        Assert.Contains(hub.Logs.Lines, l => l.Category == "LxAnnotate.Audit"
            && l.Message.Contains("reason=IdempotencyConflict", StringComparison.Ordinal)
            && l.Message.Contains(Key, StringComparison.Ordinal));

    private static DateTime Deadline() => DateTime.UtcNow.AddSeconds(30);

    private static OfferRequest KeyedOffer(byte[] content, string key = Key)
    {
        var offer = OfferFor(content);
        offer.IdempotencyKey = key;
        return offer;
    }

    private static DeliverRequest Keyed(byte[] content, string key = Key) => new() { Offer = KeyedOffer(content, key), Content = ByteString.CopyFrom(content) };

    private static DeliverRequest Deliver(byte[] content) => new() { Offer = OfferFor(content), Content = ByteString.CopyFrom(content) };
}
