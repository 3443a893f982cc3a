using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Grpc.Core;
using LxAnnotate.Hub.Authentication;
using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Tests.Support;
using LxAnnotate.Shared.Protos.V1;
using Microsoft.EntityFrameworkCore;
using static LxAnnotate.Hub.Tests.Support.TransferClientExtensions;

namespace LxAnnotate.Hub.Tests.Transfer;

/// <summary>
/// An idle Upload stream of a sender revoked in the database (as another hub process would) is closed within
/// a bounded time, releasing the transfer's lock and keeping its durable bytes.
/// </summary>
public sealed class RevokedStreamTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Upload_IdleStreamOfRevokedCertificate_EndsUnauthenticatedAndReleasesTheTransfer(bool centralHubOnPostgres)
    {
        await using var hub = await TransferHub.StartAsync(centralHub: centralHubOnPostgres);
        await hub.AddCenterAsync("center-a");
        var revoked = await hub.AddNodeAsync("node-a", "center-a");
        var renewed = await AddCertificateAsync(hub, "node-a");
        var content = RandomNumberGenerator.GetBytes(3 * ChunkSize);
        var client = hub.Client(revoked);
        var (call, transferId) = await OpenAfterFirstChunkAsync(hub, client, content);
        using var _ = call;

        var thumbprint = NodeCertificateAuthentication.Sha256Thumbprint(revoked);
        await hub.WithDbAsync(db => db.NodeCertificates.Where(c => c.ThumbprintSha256 == thumbprint).ExecuteUpdateAsync(c => c
            .SetProperty(x => x.Status, NodeCertificateStatus.Revoked)
            .SetProperty(x => x.RevokedAt, DateTimeOffset.UtcNow))).WaitAsync(StepTimeout);
        var ex = await ExpectRpcErrorAsync(() => call.ResponseAsync.WaitAsync(Bound));

        Assert.Equal(StatusCode.Unauthenticated, ex.StatusCode);
        Assert.Equal("The sender's certificate or node is no longer authorized.", ex.Status.Detail);
        var valid = hub.Client(renewed);
        var status = await valid.GetTransferAsync(new GetTransferRequest { TransferId = transferId }, deadline: DateTime.UtcNow.Add(StepTimeout));
        Assert.Equal("open", status.State);
        Assert.Equal(ChunkSize, status.Offset);
        var (reply, sent) = await valid.UploadFromAsync(transferId, status.Offset, content).WaitAsync(StepTimeout);
        Assert.True(reply.Created);
        Assert.Equal(2 * ChunkSize, sent);
        var stored = Assert.Single(hub.StoredFiles());
        Assert.Equal(content, await File.ReadAllBytesAsync(Path.Combine(hub.StorageDir, stored)));
    }

    [Fact]
    public async Task Upload_IdleStreamOfActiveNode_StaysOpen()
    {
        await using var hub = await TransferHub.StartAsync();
        await hub.AddCenterAsync("center-a");
        var client = hub.Client(await hub.AddNodeAsync("node-a", "center-a"));
        var content = RandomNumberGenerator.GetBytes(2 * ChunkSize);
        var (call, transferId) = await OpenAfterFirstChunkAsync(hub, client, content);
        using var _ = call;

        var ended = await Task.WhenAny(call.ResponseAsync, Task.Delay(Bound));

        Assert.NotSame(call.ResponseAsync, ended);
        await call.RequestStream.WriteAsync(new UploadRequest { Chunk = ByteString.CopyFrom(content, ChunkSize, ChunkSize) }).WaitAsync(StepTimeout);
        await call.RequestStream.CompleteAsync().WaitAsync(StepTimeout);
        var reply = await call.ResponseAsync.WaitAsync(StepTimeout);
        Assert.True(reply.Created);
        Assert.Equal(content.Length, reply.Size);
    }

    /// <summary>A second active certificate of <paramref name="nodeKey"/>, as after a renewal.</summary>
    private static async Task<X509Certificate2> AddCertificateAsync(TransferHub hub, string nodeKey)
    {
        var certificate = hub.Pki.IssueNode(nodeKey);
        await hub.WithDbAsync(async db =>
        {
            var node = await db.NetworkNodes.SingleAsync(n => n.NodeKey == nodeKey);
            db.NodeCertificates.Add(new NodeCertificate
            {
                NodeId = node.Id,
                ThumbprintSha256 = NodeCertificateAuthentication.Sha256Thumbprint(certificate),
                SerialNumber = certificate.SerialNumber,
                Subject = certificate.Subject,
                NotBefore = certificate.NotBefore.ToUniversalTime(),
                NotAfter = certificate.NotAfter.ToUniversalTime(),
                Status = NodeCertificateStatus.Active,
                CreatedAt = DateTimeOffset.UtcNow,
            });
            return await db.SaveChangesAsync();
        });
        return certificate;
    }

    /// <summary>Offers <paramref name="content"/>, opens an Upload and sends its first chunk, which the hub has written once this returns.</summary>
    private static async Task<(AsyncClientStreamingCall<UploadRequest, UploadReply> Call, string TransferId)> OpenAfterFirstChunkAsync(
        TransferHub hub, LxAnnotate.Shared.Protos.V1.Transfer.TransferClient client, byte[] content)
    {
        var offer = await client.OfferAsync(OfferFor(content), deadline: DateTime.UtcNow.Add(StepTimeout));
        var transferId = offer.Transfer.TransferId;
        var call = client.Upload(deadline: DateTime.UtcNow.AddMinutes(1));
        await call.RequestStream.WriteAsync(new UploadRequest { Header = new UploadHeader { TransferId = transferId, Offset = 0 } }).WaitAsync(StepTimeout);
        await call.RequestStream.WriteAsync(new UploadRequest { Chunk = ByteString.CopyFrom(content, 0, ChunkSize) }).WaitAsync(StepTimeout);
        await WaitForPartialLengthAsync(hub, transferId, ChunkSize);
        return (call, transferId);
    }

    private static async Task WaitForPartialLengthAsync(TransferHub hub, string transferId, long length)
    {
        var partial = Path.Combine(hub.StorageDir, "incoming", Guid.Parse(transferId).ToString("N") + ".part");
        var deadline = DateTime.UtcNow.Add(StepTimeout);
        while (!(File.Exists(partial) && new FileInfo(partial).Length == length))
        {
            Assert.True(DateTime.UtcNow < deadline, "the first chunk did not reach the partial file within 30 s");
            await Task.Delay(50);
        }
    }
}
