using System.Security.Cryptography;
using Google.Protobuf;
using Grpc.Core;
using LxAnnotate.Shared.Protos.V1;
using ProtoTransfer = LxAnnotate.Shared.Protos.V1.Transfer;

namespace LxAnnotate.Hub.Tests.Support;

/// <summary>A minimal sender, as a node would be: offer, then upload from the hub's offset in 1 MiB chunks.</summary>
internal static class TransferClientExtensions
{
    public const int ChunkSize = 1024 * 1024;

    public static OfferRequest OfferFor(byte[] content, string? centerKey = "center-a", string contentType = "video/mp4") => new()
    {
        Sha256 = Convert.ToHexStringLower(SHA256.HashData(content)),
        Size = content.Length,
        ContentType = contentType,
        OriginalFilename = "video.mp4",
        CenterKey = centerKey ?? "",
        SourceSystem = "endoscopy",
    };

    /// <summary>Sends <paramref name="content"/> from <paramref name="offset"/>; returns the reply and how many bytes were sent.</summary>
    public static async Task<(UploadReply Reply, long BytesSent)> UploadFromAsync(
        this ProtoTransfer.TransferClient client, string transferId, long offset, byte[] content, long? stopAfter = null, CancellationToken cancellationToken = default)
    {
        using var call = client.Upload(cancellationToken: cancellationToken);
        await call.RequestStream.WriteAsync(new UploadRequest { Header = new UploadHeader { TransferId = transferId, Offset = offset } }, cancellationToken);
        long sent = 0;
        for (var position = offset; position < content.Length; position += ChunkSize)
        {
            if (stopAfter is { } limit && sent >= limit)
            {
                break;
            }

            var length = (int)Math.Min(ChunkSize, content.Length - position);
            await call.RequestStream.WriteAsync(new UploadRequest { Chunk = ByteString.CopyFrom(content, (int)position, length) }, cancellationToken);
            sent += length;
        }

        await call.RequestStream.CompleteAsync();
        return (await call.ResponseAsync.WaitAsync(TimeSpan.FromMinutes(2), cancellationToken), sent);
    }

    /// <summary>Offer then upload everything the hub does not hold yet.</summary>
    public static async Task<(OfferReply Offer, UploadReply? Reply, long BytesSent)> SendAsync(this ProtoTransfer.TransferClient client, byte[] content, OfferRequest? offer = null)
    {
        var reply = await client.OfferAsync(offer ?? OfferFor(content), deadline: DateTime.UtcNow.AddSeconds(30));
        if (reply.ResultCase == OfferReply.ResultOneofCase.AlreadyStored)
        {
            return (reply, null, 0);
        }

        var (upload, sent) = await client.UploadFromAsync(reply.Transfer.TransferId, reply.Transfer.Offset, content);
        return (reply, upload, sent);
    }

    public static async Task<RpcException> ExpectRpcErrorAsync(Func<Task> call)
    {
        return await Assert.ThrowsAsync<RpcException>(call);
    }
}
