using System.Security.Cryptography;
using Google.Protobuf;
using Grpc.Core;
using LxAnnotate.EndToEnd.Tests.Support;
using LxAnnotate.Shared.Protos.V1;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.EndToEnd.Tests.OperatorConsole;

/// <summary>
/// A sender the test controls: one open Upload call whose chunks go out when the test says so. The console fixture's
/// hub records the durable offset every <see cref="ConsoleFixture.CheckpointBytes"/>, so each step moves the offset
/// the console reads.
/// </summary>
internal sealed class SlowUpload(HubProcess hub, AsyncClientStreamingCall<UploadRequest, UploadReply> call, string transferId, byte[] content) : IDisposable
{
    public const int Chunk = 256 * 1024;

    /// <summary>Bytes per step: two of the hub's 1 MiB encryption records.</summary>
    public const int Step = 8 * Chunk;

    /// <summary>
    /// How far the recorded offset of an open call trails the bytes sent: an encrypted-class transfer's offset moves by
    /// sealed 1 MiB records, and each checkpoint records the one before (whose bytes are synced by then).
    /// </summary>
    private const int RecordedLag = 4 * Chunk;

    private int sent;

    public string TransferId => transferId;

    public static async Task<string> OfferAsync(Transfer.TransferClient client, byte[] content, string centerKey, string contentType, string name)
    {
        var reply = await client.OfferAsync(new OfferRequest
        {
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(content)),
            Size = content.Length,
            ContentType = contentType,
            OriginalFilename = name,
            CenterKey = centerKey,
            SourceSystem = "endoscopy",
        }, deadline: DateTime.UtcNow.AddSeconds(30));
        return reply.Transfer.TransferId;
    }

    public static async Task<SlowUpload> StartAsync(HubProcess hub, Transfer.TransferClient client, string transferId, byte[] content)
    {
        var call = client.Upload(deadline: DateTime.UtcNow.AddMinutes(3));
        await call.RequestStream.WriteAsync(new UploadRequest { Header = new UploadHeader { TransferId = transferId, Offset = 0 } });
        return new SlowUpload(hub, call, transferId, content);
    }

    /// <summary>Sends the next <paramref name="count"/> bytes and returns the durable offset once the hub has recorded all it will for them.</summary>
    public async Task<long> SendAsync(int count)
    {
        await WriteAsync(Math.Min(count, content.Length - sent));
        var expected = sent - RecordedLag;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        long offset;
        while ((offset = await OffsetAsync()) != expected)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the hub recorded offset {offset}, not {expected}, within 30 s");
            await Task.Delay(50);
        }

        return offset;
    }

    /// <summary>Sends the rest and ends the stream: the transfer completes.</summary>
    public async Task<UploadReply> FinishAsync()
    {
        await WriteAsync(content.Length - sent);
        await call.RequestStream.CompleteAsync();
        return await call.ResponseAsync;
    }

    public async Task<long> OffsetAsync()
    {
        await using var db = hub.Db();
        var id = Guid.Parse(transferId);
        return await db.Transfers.AsNoTracking().Where(t => t.Id == id).Select(t => t.ReceivedBytes).SingleAsync();
    }

    public void Dispose() => call.Dispose();

    private async Task WriteAsync(int count)
    {
        for (var end = sent + count; sent < end; sent += Math.Min(Chunk, end - sent))
        {
            await call.RequestStream.WriteAsync(new UploadRequest { Chunk = ByteString.CopyFrom(content, sent, Math.Min(Chunk, end - sent)) });
        }
    }
}
