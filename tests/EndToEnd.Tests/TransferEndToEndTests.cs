using System.Security.Cryptography;
using Google.Protobuf;
using Grpc.Core;
using LxAnnotate.EndToEnd.Tests.Support;
using LxAnnotate.Shared.Protos.V1;

namespace LxAnnotate.EndToEnd.Tests;

/// <summary>The real <c>lxa-hub</c> binary receiving over mTLS gRPC, including a SIGKILL mid-upload.</summary>
public sealed class TransferEndToEndTests
{
    private const int Chunk = 1024 * 1024;

    [Fact]
    public async Task Upload_256MiB_StoredFileHashesRight()
    {
        await using var hub = await HubProcess.StartAsync();
        await hub.AddCenterAsync("center-a");
        var client = hub.Client(await hub.AddNodeAsync("node-a", "center-a"));
        var content = RandomNumberGenerator.GetBytes(256 * Chunk);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(content));

        var offer = await client.OfferAsync(Offer(content, sha256), deadline: DateTime.UtcNow.AddSeconds(30));
        var reply = await SendAsync(client, offer.Transfer.TransferId, 0, content, content.Length);

        Assert.True(reply.Created);
        Assert.Equal(sha256, reply.Sha256);
        var stored = Directory.EnumerateFiles(Path.Combine(hub.StorageDir, "centers", "center-a"), "*", SearchOption.AllDirectories).Single();
        await using (var file = File.OpenRead(stored))
        {
            Assert.Equal(sha256, Convert.ToHexStringLower(await SHA256.HashDataAsync(file)));
        }

        Assert.Empty(Directory.EnumerateFiles(Path.Combine(hub.StorageDir, "incoming"), "*.part"));
    }

    [Fact]
    public async Task Upload_HubKilledMidUpload_SenderResumesFromDurableOffset()
    {
        await using var hub = await HubProcess.StartAsync();
        await hub.AddCenterAsync("center-a");
        var certificate = await hub.AddNodeAsync("node-a", "center-a");
        var client = hub.Client(certificate);
        var content = RandomNumberGenerator.GetBytes(64 * Chunk);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(content));
        var offer = await client.OfferAsync(Offer(content, sha256), deadline: DateTime.UtcNow.AddSeconds(30));
        var transferId = offer.Transfer.TransferId;

        // Send half, wait until the hub has recorded a durable offset, then SIGKILL it mid-stream.
        var call = client.Upload();
        await call.RequestStream.WriteAsync(new UploadRequest { Header = new UploadHeader { TransferId = transferId, Offset = 0 } });
        for (var i = 0; i < 32; i++)
        {
            await call.RequestStream.WriteAsync(new UploadRequest { Chunk = ByteString.CopyFrom(content, i * Chunk, Chunk) });
        }

        await WaitForAsync(async () =>
        {
            await using var db = hub.Db();
            return db.Transfers.Single().ReceivedBytes >= 16 * Chunk;
        });
        await hub.KillAsync();
        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await call.RequestStream.WriteAsync(new UploadRequest { Chunk = ByteString.CopyFrom(content, 32 * Chunk, Chunk) });
            await call.RequestStream.CompleteAsync();
            await call.ResponseAsync;
        });
        call.Dispose();

        await hub.RestartAsync();
        var client2 = hub.Client(certificate);
        var again = await client2.OfferAsync(Offer(content, sha256), deadline: DateTime.UtcNow.AddSeconds(30));

        Assert.Equal(transferId, again.Transfer.TransferId);
        Assert.True(again.Transfer.Offset >= 16 * Chunk && again.Transfer.Offset <= 32 * Chunk, $"durable offset {again.Transfer.Offset}");
        var reply = await SendAsync(client2, transferId, again.Transfer.Offset, content, content.Length - again.Transfer.Offset);
        Assert.Equal(sha256, reply.Sha256);
        var stored = Directory.EnumerateFiles(Path.Combine(hub.StorageDir, "centers", "center-a"), "*", SearchOption.AllDirectories).Single();
        Assert.Equal(content, await File.ReadAllBytesAsync(stored));
    }

    private static OfferRequest Offer(byte[] content, string sha256) => new()
    {
        Sha256 = sha256,
        Size = content.Length,
        ContentType = "video/mp4",
        OriginalFilename = "case.mp4",
        CenterKey = "center-a",
        SourceSystem = "endoscopy",
    };

    private static async Task<UploadReply> SendAsync(LxAnnotate.Shared.Protos.V1.Transfer.TransferClient client, string transferId, long offset, byte[] content, long expectedToSend)
    {
        using var call = client.Upload(deadline: DateTime.UtcNow.AddMinutes(5));
        await call.RequestStream.WriteAsync(new UploadRequest { Header = new UploadHeader { TransferId = transferId, Offset = offset } });
        long sent = 0;
        for (var position = offset; position < content.Length; position += Chunk)
        {
            var length = (int)Math.Min(Chunk, content.Length - position);
            await call.RequestStream.WriteAsync(new UploadRequest { Chunk = ByteString.CopyFrom(content, (int)position, length) });
            sent += length;
        }

        await call.RequestStream.CompleteAsync();
        Assert.Equal(expectedToSend, sent);
        return await call.ResponseAsync;
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 60 s");
            await Task.Delay(50);
        }
    }
}
