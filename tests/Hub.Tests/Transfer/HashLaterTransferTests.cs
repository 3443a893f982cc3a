using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Google.Protobuf;
using Grpc.Core;
using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Ingest;
using LxAnnotate.Hub.Tests.Support;
using LxAnnotate.Hub.Transfer;
using LxAnnotate.Hub.Transfer.Offers;
using LxAnnotate.Hub.Transfer.PartialFiles;
using LxAnnotate.Hub.Transfer.Sessions;
using LxAnnotate.Hub.Transfer.Upload;
using LxAnnotate.Shared.Protos.V1;
using LxAnnotate.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static LxAnnotate.Hub.Tests.Support.TransferClientExtensions;

namespace LxAnnotate.Hub.Tests.Transfer;

/// <summary>
/// An offer without SHA-256 (the sender hashes while it sends and declares the hash in the Upload trailer): the
/// transfer opens only when nothing stored could be the same content, the trailer is verified before anything is
/// committed, and the bytes stay resumable, also by a later offer that brings the hash.
/// </summary>
public sealed class HashLaterTransferTests
{
    private const int Chunk = 1024;
    private static readonly CallerIdentity Node = CallerIdentity.ForNode("node-a", "center-a", "AA");
    private static readonly TransferOptions SmallChunks = new() { MaxChunkBytes = Chunk };

    public static TheoryData<TestDatabaseKind> Databases() => new() { TestDatabaseKind.Sqlite, TestDatabaseKind.PostgreSql };

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Offer_WithoutHash_OpensTransfer_TrailerVerifiedAndRecordedOnTheJobAndTransfer(TestDatabaseKind kind)
    {
        await using var harness = await CreateAsync(kind);
        var content = RandomNumberGenerator.GetBytes(10 * Chunk);

        var offer = await OfferAsync(harness, HashLater(content, "item-1"));
        var outcome = await ReceiveAsync(harness, offer.TransferId!.Value, 0, content, Sha(content));

        Assert.Null(offer.HashRequired);
        Assert.True(outcome.Created);
        Assert.Equal(Sha(content), outcome.Job.ContentHash);
        Assert.Equal(content.Length, outcome.Job.SizeBytes);
        var session = await harness.WithDbAsync(db => db.Transfers.SingleAsync());
        Assert.Equal((TransferState.Completed, Sha(content)), (session.State, session.Sha256));
        Assert.Contains(harness.Logs.Lines, l => l.EventId == 3017 && l.Message.Contains(offer.TransferId.Value.ToString(), StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Upload_TrailerDiffersFromTheBytes_IsDataLoss_DiscardsThePartialAndCommitsNothing(TestDatabaseKind kind)
    {
        await using var harness = await CreateAsync(kind);
        var content = RandomNumberGenerator.GetBytes(10 * Chunk);
        var offer = await OfferAsync(harness, HashLater(content, "item-1"));

        var ex = await Assert.ThrowsAsync<TransferException>(() => ReceiveAsync(harness, offer.TransferId!.Value, 0, content, Sha([1, 2, 3])));

        Assert.Equal(TransferErrorKind.DataLoss, ex.Kind);
        Assert.Contains("SHA-256", ex.Message, StringComparison.Ordinal);
        Assert.Equal(TransferState.Failed, (await harness.WithDbAsync(db => db.Transfers.SingleAsync())).State);
        Assert.Equal(0, await harness.WithDbAsync(db => db.UploadJobs.CountAsync()));
        await using var scope = harness.Services.CreateAsyncScope();
        Assert.False(File.Exists(scope.ServiceProvider.GetRequiredService<PartialFileStore>().PartialPath(offer.TransferId!.Value)));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Upload_AllBytesButNoTrailer_IsInvalidArgumentKeepsTheBytes_ThenTheTrailerAloneCompletes(TestDatabaseKind kind)
    {
        await using var harness = await CreateAsync(kind);
        var content = RandomNumberGenerator.GetBytes(10 * Chunk);
        var offer = await OfferAsync(harness, HashLater(content, "item-1"));

        var ex = await Assert.ThrowsAsync<TransferException>(() => ReceiveAsync(harness, offer.TransferId!.Value, 0, content, trailerSha256: null));
        var kept = await harness.WithDbAsync(db => db.Transfers.SingleAsync());
        var outcome = await ReceiveAsync(harness, offer.TransferId!.Value, content.Length, content, Sha(content));

        Assert.Equal(TransferErrorKind.InvalidArgument, ex.Kind);
        Assert.Contains("trailer", ex.Message, StringComparison.Ordinal);
        Assert.Equal((TransferState.Open, (long)content.Length, (string?)null), (kept.State, kept.ReceivedBytes, kept.Sha256));
        Assert.True(outcome.Created);
        Assert.Equal(Sha(content), outcome.Job.ContentHash);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Offer_WithoutHash_CenterStoresContentOfThatSizeAndType_NeedsTheHash_OtherTypeOrSizeOpens(TestDatabaseKind kind)
    {
        await using var harness = await CreateAsync(kind);
        var stored = RandomNumberGenerator.GetBytes(10 * Chunk);
        var first = await OfferAsync(harness, Hashed(stored, "item-1"));
        await ReceiveAsync(harness, first.TransferId!.Value, 0, stored, trailerSha256: null);

        var sameSize = await OfferAsync(harness, HashLater(RandomNumberGenerator.GetBytes(stored.Length), "item-2"));
        var otherType = await OfferAsync(harness, HashLater(RandomNumberGenerator.GetBytes(stored.Length), "item-3") with { ContentType = "application/pdf" });
        var otherSize = await OfferAsync(harness, HashLater(RandomNumberGenerator.GetBytes(stored.Length + 1), "item-4"));
        var sameKey = await OfferAsync(harness, HashLater(RandomNumberGenerator.GetBytes(stored.Length + 2), "item-1"));

        Assert.Equal("this center stores content of the same size and type", sameSize.HashRequired);
        Assert.Null(sameSize.TransferId);
        Assert.NotNull(otherType.TransferId);
        Assert.NotNull(otherSize.TransferId);
        Assert.Equal("a job of this center holds the idempotency key", sameKey.HashRequired);
        Assert.Equal(3, await harness.WithDbAsync(db => db.Transfers.CountAsync()));
        Assert.Contains(harness.Logs.Lines, l => l.EventId == 3018 && l.Message.Contains("same size and type", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Offer_InterruptedWithoutHash_ResumedByTheSameKey_ThenAdoptedByAnOfferWithTheHash(TestDatabaseKind kind)
    {
        await using var harness = await CreateAsync(kind);
        var content = RandomNumberGenerator.GetBytes(10 * Chunk);
        var offer = await OfferAsync(harness, HashLater(content, "item-1"));
        await Assert.ThrowsAsync<IOException>(() => WithAsync<UploadReceiver, UploadOutcome>(harness, r =>
            r.ReceiveAsync(offer.TransferId!.Value, 0, Node, Interrupted(content, 3 * Chunk), CancellationToken.None)));

        var again = await OfferAsync(harness, HashLater(content, "item-1"));
        var otherKey = await OfferAsync(harness, HashLater(content, "item-9"));
        var withHash = await OfferAsync(harness, Hashed(content, "item-1"));
        var outcome = await ReceiveAsync(harness, withHash.TransferId!.Value, withHash.Offset, content, trailerSha256: null);

        Assert.Equal((offer.TransferId, 3L * Chunk), (again.TransferId, again.Offset));
        Assert.NotEqual(offer.TransferId, otherKey.TransferId);
        Assert.Equal((offer.TransferId, 3L * Chunk), (withHash.TransferId, withHash.Offset));
        Assert.True(outcome.Created);
        Assert.Equal(Sha(content), outcome.Job.ContentHash);
        var adopted = await harness.WithDbAsync(db => db.Transfers.SingleAsync(t => t.Id == offer.TransferId));
        Assert.Equal((TransferState.Completed, Sha(content)), (adopted.State, adopted.Sha256));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Upload_WithoutHash_ContentStoredMeanwhile_AnswersTheStoredJobNotCreated(TestDatabaseKind kind)
    {
        await using var harness = await CreateAsync(kind);
        var content = RandomNumberGenerator.GetBytes(10 * Chunk);
        var hashLater = await OfferAsync(harness, HashLater(content, "item-1"));
        var other = await OfferAsync(harness, Hashed(content, "item-2"));
        var first = await ReceiveAsync(harness, other.TransferId!.Value, 0, content, trailerSha256: null);

        var second = await ReceiveAsync(harness, hashLater.TransferId!.Value, 0, content, Sha(content));

        Assert.NotEqual(hashLater.TransferId, other.TransferId);
        Assert.True(first.Created);
        Assert.Equal((first.Job.Id, false), (second.Job.Id, second.Created));
        Assert.Equal(1, await harness.WithDbAsync(db => db.UploadJobs.CountAsync()));
    }

    [Theory]
    [InlineData(Chunk, null, "item-1", "at most 1024 bytes")]
    [InlineData(Chunk + 1, null, "", "idempotency_key")]
    [InlineData(Chunk + 1, "{}", "item-1", "envelope")]
    public void Validate_OfferWithoutHash_OnlyForUploadedPlaintextWithAKey(int size, string? envelopeJson, string key, string named)
    {
        var offer = new TransferOffer { Sha256 = "", SizeBytes = size, ContentType = "video/mp4", SourceSystem = "endoscopy", IdempotencyKey = key, EnvelopeJson = envelopeJson };

        var ex = Assert.Throws<TransferException>(() => OfferRules.Validate(offer, SmallChunks));

        Assert.Equal(TransferErrorKind.InvalidArgument, ex.Kind);
        Assert.Contains(named, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Grpc_TrailerAfterTheChunks_Completes_TrailerNotLastOrMalformed_IsInvalidArgument()
    {
        await using var hub = await TransferHub.StartAsync();
        await hub.AddCenterAsync("center-a");
        var client = hub.Client(await hub.AddNodeAsync("node-a", "center-a"));
        var content = RandomNumberGenerator.GetBytes((2 * ChunkSize) + 5);
        var offer = OfferFor(content);
        offer.Sha256 = "";
        offer.IdempotencyKey = "item-1";

        var ready = await client.OfferAsync(offer, deadline: DateTime.UtcNow.AddSeconds(30));
        var id = ready.Transfer.TransferId;
        var open = await client.GetTransferAsync(new GetTransferRequest { TransferId = id }, deadline: DateTime.UtcNow.AddSeconds(30));
        var trailer = new UploadRequest { Trailer = new UploadTrailer { Sha256 = Sha(content) } };
        var notLast = await ExpectRpcErrorAsync(() => UploadAsync(client, id, 0, ChunkMessage(content, 0), trailer, ChunkMessage(content, ChunkSize)));
        var kept = (await client.OfferAsync(offer, deadline: DateTime.UtcNow.AddSeconds(30))).Transfer.Offset;
        var malformed = await ExpectRpcErrorAsync(() => UploadAsync(
            client, id, kept, ChunkMessage(content, kept), new UploadRequest { Trailer = new UploadTrailer { Sha256 = "not-a-hash" } }));
        var resumed = await client.OfferAsync(offer, deadline: DateTime.UtcNow.AddSeconds(30));
        var rest = Enumerable.Range(0, 3).Select(i => resumed.Transfer.Offset + (i * (long)ChunkSize)).Where(p => p < content.Length).Select(p => ChunkMessage(content, p));
        var reply = await UploadAsync(client, id, resumed.Transfer.Offset, [.. rest, trailer]);

        Assert.Equal(OfferReply.ResultOneofCase.Transfer, ready.ResultCase);
        Assert.Equal(("open", ""), (open.State, open.Sha256));
        Assert.Equal(StatusCode.InvalidArgument, notLast.StatusCode);
        Assert.Contains("last message", notLast.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(ChunkSize, kept);
        Assert.Equal(StatusCode.InvalidArgument, malformed.StatusCode);
        Assert.Contains("64 hexadecimal", malformed.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(id, resumed.Transfer.TransferId);
        Assert.Equal((Sha(content), (long)content.Length, true), (reply.Sha256, reply.Size, reply.Created));
    }

    private static UploadRequest ChunkMessage(byte[] content, long from) =>
        new() { Chunk = ByteString.CopyFrom(content, (int)from, (int)Math.Min(ChunkSize, content.Length - from)) };

    private static async Task<UploadReply> UploadAsync(Shared.Protos.V1.Transfer.TransferClient client, string transferId, long offset, params UploadRequest[] messages)
    {
        using var call = client.Upload(deadline: DateTime.UtcNow.AddSeconds(60));
        await call.RequestStream.WriteAsync(new UploadRequest { Header = new UploadHeader { TransferId = transferId, Offset = offset } });
        foreach (var message in messages)
        {
            await call.RequestStream.WriteAsync(message);
        }

        await call.RequestStream.CompleteAsync();
        return await call.ResponseAsync;
    }

    private static async Task<IngestHarness> CreateAsync(TestDatabaseKind kind)
    {
        var harness = await IngestHarness.CreateAsync(kind, transferOptions: SmallChunks);
        await harness.AddCenterAsync("center-a");
        return harness;
    }

    private static Task<OfferOutcome> OfferAsync(IngestHarness harness, TransferOffer offer) =>
        WithAsync<TransferSessions, OfferOutcome>(harness, r => r.OfferAsync(offer, Node, CancellationToken.None));

    private static Task<UploadOutcome> ReceiveAsync(IngestHarness harness, Guid transferId, long offset, byte[] content, string? trailerSha256) =>
        WithAsync<UploadReceiver, UploadOutcome>(harness, r => r.ReceiveAsync(
            transferId, offset, Node, Chunks(content, (int)offset), CancellationToken.None, trailer: new SenderTrailer { Sha256 = trailerSha256 }));

    private static TransferOffer HashLater(byte[] content, string key) => Hashed(content, key) with { Sha256 = "" };

    private static TransferOffer Hashed(byte[] content, string key) => new()
    {
        Sha256 = Sha(content),
        SizeBytes = content.Length,
        ContentType = "video/mp4",
        SourceSystem = "endoscopy",
        IdempotencyKey = key,
    };

    private static string Sha(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    private static async IAsyncEnumerable<ReadOnlyMemory<byte>> Chunks(byte[] content, int from, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (var i = from; i < content.Length; i += Chunk)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Yield();
            yield return content.AsMemory(i, Math.Min(Chunk, content.Length - i));
        }
    }

    private static async IAsyncEnumerable<ReadOnlyMemory<byte>> Interrupted(byte[] content, int after)
    {
        await Task.Yield();
        for (var i = 0; i < after; i += Chunk)
        {
            yield return content.AsMemory(i, Chunk);
        }

        throw new IOException("The sender went away.");
    }

    private static async Task<T> WithAsync<TService, T>(IngestHarness harness, Func<TService, Task<T>> action)
        where TService : notnull
    {
        await using var scope = harness.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<TService>());
    }
}
