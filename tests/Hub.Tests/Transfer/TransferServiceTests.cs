using System.Security.Cryptography;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using LxAnnotate.Hub.Tests.Support;
using LxAnnotate.Shared.Protos.V1;
using LxAnnotate.TestSupport;
using Microsoft.EntityFrameworkCore;
using static LxAnnotate.Hub.Tests.Support.TransferClientExtensions;

namespace LxAnnotate.Hub.Tests.Transfer;

/// <summary>The Transfer service over real mTLS on loopback, against the hub running in-process.</summary>
public sealed class TransferServiceTests
{
    [Theory]
    [InlineData(1024)]
    [InlineData(5 * 1024 * 1024)]
    public async Task Upload_RegisteredNode_StoresVerifiedFileAndCreatesJob(int size)
    {
        await using var hub = await TransferHub.StartAsync();
        await hub.AddCenterAsync("center-a");
        var client = hub.Client(await hub.AddNodeAsync("node-a", "center-a"));
        var content = RandomNumberGenerator.GetBytes(size);

        var (offer, reply, sent) = await client.SendAsync(content);

        Assert.Equal(OfferReply.ResultOneofCase.Transfer, offer.ResultCase);
        Assert.Equal(0, offer.Transfer.Offset);
        Assert.NotNull(reply);
        Assert.True(reply.Created);
        Assert.Equal(size, sent);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), reply.Sha256);
        var stored = Assert.Single(hub.StoredFiles());
        Assert.StartsWith("centers/center-a/", stored, StringComparison.Ordinal);
        Assert.Equal(reply.Sha256, Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(Path.Combine(hub.StorageDir, stored)))));
        Assert.Empty(hub.IncomingFiles());

        var job = await client.GetUploadJobAsync(new GetUploadJobRequest { UploadJobId = reply.UploadJobId });
        Assert.Equal("pending", job.Status);
        Assert.Equal("transfer", job.IngestMode);
        Assert.Equal("center-a", job.SourceCenterKey);
    }

    [Fact]
    public async Task Offer_NoClientCertificate_FailsWithoutStoring()
    {
        await using var hub = await TransferHub.StartAsync();
        await hub.AddCenterAsync("center-a");

        var ex = await ExpectRpcErrorAsync(() => hub.Client(null).OfferAsync(OfferFor([1, 2, 3])).ResponseAsync);

        Assert.NotEqual(StatusCode.OK, ex.StatusCode);
        Assert.Empty(hub.StoredFiles());
    }

    [Fact]
    public async Task Offer_CertificateOfAnotherCa_IsUnauthenticated()
    {
        await using var hub = await TransferHub.StartAsync();
        await hub.AddCenterAsync("center-a");
        using var otherPki = new TestPki("Some Other CA");

        var ex = await ExpectRpcErrorAsync(() => hub.Client(otherPki.IssueNode("node-a")).OfferAsync(OfferFor([1])).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, ex.StatusCode);
        Assert.Contains("not valid for this hub", ex.Status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("unregistered", "not registered")]
    [InlineData("revoked", "revoked")]
    [InlineData("inactive", "deactivated")]
    [InlineData("expired", "not valid for this hub")]
    [InlineData("server-eku", "not valid for this hub")]
    public async Task Offer_UnacceptableCertificate_IsUnauthenticatedAndStoresNothing(string kind, string expectedDetail)
    {
        await using var hub = await TransferHub.StartAsync();
        await hub.AddCenterAsync("center-a");
        var certificate = kind switch
        {
            "unregistered" => hub.Pki.IssueNode("node-x"),
            "revoked" => await hub.AddNodeAsync("node-a", "center-a", revoked: true),
            "inactive" => await hub.AddNodeAsync("node-a", "center-a", active: false),
            "expired" => await hub.AddNodeAsync("node-a", "center-a", certificate: hub.Pki.IssueNode("node-a", notAfter: DateTimeOffset.UtcNow.AddHours(-1))),
            "server-eku" => await hub.AddNodeAsync("node-a", "center-a", certificate: hub.Pki.IssueNode("node-a", ekuOid: TestPki.ServerAuthEku)),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };

        var ex = await ExpectRpcErrorAsync(() => hub.Client(certificate).OfferAsync(OfferFor([1, 2])).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, ex.StatusCode);
        Assert.Contains(expectedDetail, ex.Status.Detail, StringComparison.Ordinal);
        Assert.Empty(hub.StoredFiles());
        Assert.Empty(hub.IncomingFiles());
    }

    [Fact]
    public async Task Offer_CenterOfAnotherCenter_IsPermissionDeniedAuditedAndStoresNothing()
    {
        await using var hub = await TransferHub.StartAsync();
        await hub.AddCenterAsync("center-a");
        await hub.AddCenterAsync("center-b");
        var client = hub.Client(await hub.AddNodeAsync("node-a", "center-a"));

        var ex = await ExpectRpcErrorAsync(() => client.OfferAsync(OfferFor([1, 2, 3], centerKey: "center-b")).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
        Assert.Contains(hub.Logs.Lines, l => l.Category == "LxAnnotate.Audit" && l.Message.Contains("ingest_rejected", StringComparison.Ordinal)
            && l.Message.Contains("node-a", StringComparison.Ordinal));
        Assert.Empty(hub.StoredFiles());
        Assert.Empty(hub.IncomingFiles());
    }

    [Fact]
    public async Task Upload_ClientCancelsMidStream_ResumesWithoutResendingReceivedBytes()
    {
        await using var hub = await TransferHub.StartAsync();
        await hub.AddCenterAsync("center-a");
        var client = hub.Client(await hub.AddNodeAsync("node-a", "center-a"));
        var content = RandomNumberGenerator.GetBytes(8 * ChunkSize);
        var offer = await client.OfferAsync(OfferFor(content));
        var transferId = offer.Transfer.TransferId;

        // Send three chunks, wait until the hub has read them, then cancel the call.
        using (var cancel = new CancellationTokenSource())
        using (var call = client.Upload(cancellationToken: cancel.Token))
        {
            await call.RequestStream.WriteAsync(new UploadRequest { Header = new UploadHeader { TransferId = transferId, Offset = 0 } });
            for (var i = 0; i < 3; i++)
            {
                await call.RequestStream.WriteAsync(new UploadRequest { Chunk = ByteString.CopyFrom(content, i * ChunkSize, ChunkSize) });
            }

            await WaitForAsync(() => File.Exists(Path.Combine(hub.StorageDir, "incoming", Guid.Parse(transferId).ToString("N") + ".part"))
                && new FileInfo(Path.Combine(hub.StorageDir, "incoming", Guid.Parse(transferId).ToString("N") + ".part")).Length == 3 * ChunkSize);
            await cancel.CancelAsync();
        }

        var status = await WaitForOffsetAsync(client, transferId, 3 * ChunkSize);
        Assert.Equal("open", status.State);

        var again = await client.OfferAsync(OfferFor(content));
        Assert.Equal(transferId, again.Transfer.TransferId);
        Assert.Equal(3 * ChunkSize, again.Transfer.Offset);
        var (reply, sent) = await client.UploadFromAsync(transferId, again.Transfer.Offset, content);

        Assert.Equal(5 * ChunkSize, sent);
        Assert.True(reply.Created);
        var stored = Assert.Single(hub.StoredFiles());
        Assert.Equal(content, await File.ReadAllBytesAsync(Path.Combine(hub.StorageDir, stored)));
    }

    /// <remarks>On PostgreSQL the standing is asked on the transfer's lock session, on SQLite through the context.</remarks>
    [Theory]
    [InlineData("revoke", false)]
    [InlineData("deactivate", false)]
    [InlineData("revoke", true)]
    [InlineData("deactivate", true)]
    public async Task Upload_NodeRevokedMidStream_CutOffAtNextChunk(string how, bool centralHubOnPostgres)
    {
        await using var hub = await TransferHub.StartAsync(centralHub: centralHubOnPostgres);
        await hub.AddCenterAsync("center-a");
        var certificate = await hub.AddNodeAsync("node-a", "center-a");
        var client = hub.Client(certificate);
        var content = RandomNumberGenerator.GetBytes(6 * ChunkSize);
        var offer = await client.OfferAsync(OfferFor(content));
        var partial = Path.Combine(hub.StorageDir, "incoming", Guid.Parse(offer.Transfer.TransferId).ToString("N") + ".part");
        using var call = client.Upload();
        await call.RequestStream.WriteAsync(new UploadRequest { Header = new UploadHeader { TransferId = offer.Transfer.TransferId, Offset = 0 } });
        await call.RequestStream.WriteAsync(new UploadRequest { Chunk = ByteString.CopyFrom(content, 0, ChunkSize) });
        await WaitForAsync(() => File.Exists(partial) && new FileInfo(partial).Length == ChunkSize);

        await hub.WithDbAsync(db => how == "revoke"
            ? db.NodeCertificates.ExecuteUpdateAsync(c => c.SetProperty(x => x.Status, LxAnnotate.Hub.Domain.NodeCertificateStatus.Revoked))
            : db.NetworkNodes.ExecuteUpdateAsync(n => n.SetProperty(x => x.IsActive, false)));
        var ex = await ExpectRpcErrorAsync(async () =>
        {
            await call.RequestStream.WriteAsync(new UploadRequest { Chunk = ByteString.CopyFrom(content, ChunkSize, ChunkSize) });
            await call.RequestStream.CompleteAsync();
            await call.ResponseAsync;
        });

        Assert.Equal(StatusCode.Unauthenticated, ex.StatusCode);
        Assert.Equal(ChunkSize, new FileInfo(partial).Length);
        var again = await ExpectRpcErrorAsync(() => hub.Client(certificate).OfferAsync(OfferFor(content)).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, again.StatusCode);
        Assert.Empty(hub.StoredFiles());
    }

    [Fact]
    public async Task Upload_WrongOffset_IsFailedPreconditionNamingTheRightOne()
    {
        await using var hub = await TransferHub.StartAsync();
        await hub.AddCenterAsync("center-a");
        var client = hub.Client(await hub.AddNodeAsync("node-a", "center-a"));
        var content = RandomNumberGenerator.GetBytes(1000);
        var offer = await client.OfferAsync(OfferFor(content));

        var ex = await ExpectRpcErrorAsync(() => client.UploadFromAsync(offer.Transfer.TransferId, 500, content));

        Assert.Equal(StatusCode.FailedPrecondition, ex.StatusCode);
        Assert.Contains("offset 0", ex.Status.Detail, StringComparison.Ordinal);
        Assert.Equal("0", ex.Trailers.GetValue("lxa-expected-offset"));
    }

    [Fact]
    public async Task Upload_Sha256Mismatch_IsDataLossAndDiscardsPartialData()
    {
        await using var hub = await TransferHub.StartAsync();
        await hub.AddCenterAsync("center-a");
        var client = hub.Client(await hub.AddNodeAsync("node-a", "center-a"));
        var content = RandomNumberGenerator.GetBytes(3 * ChunkSize);
        var offer = await client.OfferAsync(OfferFor(content));
        var tampered = (byte[])content.Clone();
        tampered[^1] ^= 0xFF;

        var ex = await ExpectRpcErrorAsync(() => client.UploadFromAsync(offer.Transfer.TransferId, 0, tampered));

        Assert.Equal(StatusCode.DataLoss, ex.StatusCode);
        Assert.Empty(hub.IncomingFiles());
        Assert.Empty(hub.StoredFiles());
        var status = await client.GetTransferAsync(new GetTransferRequest { TransferId = offer.Transfer.TransferId });
        Assert.Equal("failed", status.State);
    }

    [Fact]
    public async Task Upload_StreamEndsShort_IsDataLossAndDiscardsPartialData()
    {
        await using var hub = await TransferHub.StartAsync();
        await hub.AddCenterAsync("center-a");
        var client = hub.Client(await hub.AddNodeAsync("node-a", "center-a"));
        var content = RandomNumberGenerator.GetBytes(3 * ChunkSize);
        var offer = await client.OfferAsync(OfferFor(content));

        var ex = await ExpectRpcErrorAsync(() => client.UploadFromAsync(offer.Transfer.TransferId, 0, content, stopAfter: ChunkSize));

        Assert.Equal(StatusCode.DataLoss, ex.StatusCode);
        Assert.Contains("declared", ex.Status.Detail, StringComparison.Ordinal);
        Assert.Empty(hub.IncomingFiles());
    }

    [Fact]
    public async Task Offer_ContentAlreadyStored_ReturnsJobAndZeroBytesAreSent()
    {
        await using var hub = await TransferHub.StartAsync();
        await hub.AddCenterAsync("center-a");
        var client = hub.Client(await hub.AddNodeAsync("node-a", "center-a"));
        var content = RandomNumberGenerator.GetBytes(2 * ChunkSize);
        var (_, first, _) = await client.SendAsync(content);

        var (offer, second, sent) = await client.SendAsync(content);

        Assert.Equal(OfferReply.ResultOneofCase.AlreadyStored, offer.ResultCase);
        Assert.Equal(first!.UploadJobId, offer.AlreadyStored.UploadJobId);
        Assert.Null(second);
        Assert.Equal(0, sent);
    }

    [Fact]
    public async Task Upload_TwoNodesOfTwoCentersSameBytes_TwoJobsInTwoCenters()
    {
        await using var hub = await TransferHub.StartAsync();
        await hub.AddCenterAsync("center-a");
        await hub.AddCenterAsync("center-b");
        var nodeA = hub.Client(await hub.AddNodeAsync("node-a", "center-a"));
        var nodeB = hub.Client(await hub.AddNodeAsync("node-b", "center-b"));
        var content = RandomNumberGenerator.GetBytes(4096);

        var (_, a, _) = await nodeA.SendAsync(content, OfferFor(content, centerKey: "center-a"));
        var (offerB, b, sentB) = await nodeB.SendAsync(content, OfferFor(content, centerKey: null));

        // Center B learns nothing about center A's copy: it sends every byte and gets its own job.
        Assert.Equal(OfferReply.ResultOneofCase.Transfer, offerB.ResultCase);
        Assert.Equal(content.Length, sentB);
        Assert.NotEqual(a!.UploadJobId, b!.UploadJobId);
        Assert.Equal(["center-a", "center-b"], hub.StoredFiles().Select(f => f.Split('/')[1]));
        var jobB = await nodeB.GetUploadJobAsync(new GetUploadJobRequest { UploadJobId = b.UploadJobId });
        Assert.Equal("center-b", jobB.SourceCenterKey);

        var ex = await ExpectRpcErrorAsync(() => nodeB.GetUploadJobAsync(new GetUploadJobRequest { UploadJobId = a.UploadJobId }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
    }

    [Fact]
    public async Task Offer_LargerThanLimit_IsResourceExhaustedNamingTheLimit()
    {
        await using var hub = await TransferHub.StartAsync(extra: new Dictionary<string, string?> { ["LXA_HUB_TRANSFER_MAX_BYTES"] = "1000" });
        await hub.AddCenterAsync("center-a");
        var client = hub.Client(await hub.AddNodeAsync("node-a", "center-a"));

        var ex = await ExpectRpcErrorAsync(() => client.OfferAsync(OfferFor(new byte[1001])).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
        Assert.Contains("1000", ex.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Offer_IdentityHintFromSender_IsInvalidArgument()
    {
        await using var hub = await TransferHub.StartAsync();
        await hub.AddCenterAsync("center-a");
        var client = hub.Client(await hub.AddNodeAsync("node-a", "center-a"));
        var offer = OfferFor([1, 2, 3]);
        offer.ProvenanceHints["source_node_key"] = "node-b";

        var ex = await ExpectRpcErrorAsync(() => client.OfferAsync(offer).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Contains("source_node_key", ex.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upload_OverLocalSocket_IsWatcherBoundaryInDefaultCenter()
    {
        await using var hub = await TransferHub.StartAsync();
        await hub.AddCenterAsync("center-a");
        var client = hub.LocalClient();
        var content = RandomNumberGenerator.GetBytes(10_000);
        var offer = OfferFor(content, centerKey: null);
        offer.ProvenanceHints["watched_path"] = "/data/import/report_import/r.pdf";

        var (_, reply, _) = await client.SendAsync(content, offer);

        var job = await client.GetUploadJobAsync(new GetUploadJobRequest { UploadJobId = reply!.UploadJobId });
        Assert.Equal("watcher", job.IngestMode);
        Assert.Equal("center-a", job.SourceCenterKey);
        var mode = File.GetUnixFileMode(hub.SocketPath);
        Assert.False(mode.HasFlag(UnixFileMode.OtherRead) || mode.HasFlag(UnixFileMode.OtherWrite), $"socket mode {mode}");
        Assert.Contains(hub.Logs.Lines, l => l.Message.Contains("opened for center center-a by the local watcher, 10000 bytes", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Health_OnTransferListener_IsServing()
    {
        await using var hub = await TransferHub.StartAsync();
        await hub.AddCenterAsync("center-a");
        var channel = hub.Channel(await hub.AddNodeAsync("node-a", "center-a"));

        var health = await new Grpc.Health.V1.Health.HealthClient(channel).CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(30));

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
    }

    [Fact]
    public async Task Reflection_V1AndV1Alpha_ListTheTransferService()
    {
        await using var hub = await TransferHub.StartAsync();
        await hub.AddCenterAsync("center-a");
        var channel = hub.Channel(await hub.AddNodeAsync("node-a", "center-a"));

        using var v1 = new Grpc.Reflection.V1.ServerReflection.ServerReflectionClient(channel).ServerReflectionInfo();
        await v1.RequestStream.WriteAsync(new Grpc.Reflection.V1.ServerReflectionRequest { ListServices = "" });
        await v1.RequestStream.CompleteAsync();
        Assert.True(await v1.ResponseStream.MoveNext(CancellationToken.None));
        var v1Services = v1.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToList();

        using var alpha = new Grpc.Reflection.V1Alpha.ServerReflection.ServerReflectionClient(channel).ServerReflectionInfo();
        await alpha.RequestStream.WriteAsync(new Grpc.Reflection.V1Alpha.ServerReflectionRequest { ListServices = "" });
        await alpha.RequestStream.CompleteAsync();
        Assert.True(await alpha.ResponseStream.MoveNext(CancellationToken.None));
        var alphaServices = alpha.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToList();

        Assert.Contains("lxannotate.v1.Transfer", v1Services);
        Assert.Contains("grpc.health.v1.Health", v1Services);
        Assert.Contains("lxannotate.v1.Transfer", alphaServices);
    }

    private static async Task<TransferInfo> WaitForOffsetAsync(LxAnnotate.Shared.Protos.V1.Transfer.TransferClient client, string transferId, long offset)
    {
        TransferInfo? status = null;
        await WaitForAsync(async () =>
        {
            status = await client.GetTransferAsync(new GetTransferRequest { TransferId = transferId });
            return status.Offset == offset;
        });
        return status!;
    }

    private static Task WaitForAsync(Func<bool> condition) => WaitForAsync(() => Task.FromResult(condition()));

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 30 s");
            await Task.Delay(50);
        }
    }
}
