using System.Security.Cryptography;
using Google.Protobuf;
using Grpc.Core;
using LxAnnotate.EndToEnd.Tests.Support;
using LxAnnotate.Shared.Protos.V1;

namespace LxAnnotate.EndToEnd.Tests.Replicas;

/// <summary>
/// Two real <c>lxa-hub serve</c> replicas on one PostgreSQL database and one data root, with the OS file lock
/// turned off in both (<c>DOTNET_SYSTEM_IO_DISABLEFILELOCKING</c>) as a shared file system without working locks
/// would have it: only the database lock keeps a transfer to one stream.
/// </summary>
[Collection(ReplicaTestGroup.Name)]
public sealed class ReplicaTransferLockTests
{
    private const int Chunk = 1024 * 1024;

    [Fact]
    public async Task Upload_SecondReplicaWhileFirstStreams_RefusedThenResumesThereAfterSigkill()
    {
        await using var a = await HubProcess.StartAsync(new Dictionary<string, string?>
        {
            ["LXA_HUB_REPLICA_ID"] = "replica-a",
            ["LXA_HUB_TRANSFER_CHECKPOINT_BYTES"] = Chunk.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["DOTNET_SYSTEM_IO_DISABLEFILELOCKING"] = "true",
        });
        await using var b = await a.StartReplicaAsync("replica-b");
        await a.AddCenterAsync("center-a");
        var certificate = await a.AddNodeAsync("node-a", "center-a");
        var content = RandomNumberGenerator.GetBytes(16 * Chunk);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(content));
        var offer = await a.Client(certificate).OfferAsync(ReplicaOffers.For(content), deadline: DateTime.UtcNow.AddSeconds(30));
        var transferId = offer.Transfer.TransferId;

        // A stream on replica A, left open after some durable bytes.
        var first = a.Client(certificate).Upload();
        await first.RequestStream.WriteAsync(new UploadRequest { Header = new UploadHeader { TransferId = transferId, Offset = 0 } });
        for (var i = 0; i < 4; i++)
        {
            await first.RequestStream.WriteAsync(new UploadRequest { Chunk = ByteString.CopyFrom(content, i * Chunk, Chunk) });
        }

        await ReplicaWait.UntilAsync(async () =>
        {
            await using var db = a.Db();
            return db.Transfers.Single().ReceivedBytes >= 2 * Chunk;
        });

        // The same transfer on replica B: refused exactly as a second stream on one hub always was.
        var refused = await Assert.ThrowsAsync<RpcException>(() => UploadAsync(b.Client(certificate), transferId, 0, content));
        Assert.Equal(StatusCode.Aborted, refused.StatusCode);
        Assert.Equal($"Transfer {Guid.Parse(transferId)} is being received by another call.", refused.Status.Detail);

        await a.KillAsync();
        first.Dispose();

        // A's session died with its process: B takes the transfer over from the durable offset.
        var again = await b.Client(certificate).OfferAsync(ReplicaOffers.For(content), deadline: DateTime.UtcNow.AddSeconds(30));
        Assert.Equal(transferId, again.Transfer.TransferId);
        Assert.InRange(again.Transfer.Offset, 2 * Chunk, 4 * Chunk);
        var reply = await ResumeAsync(b.Client(certificate), transferId, again.Transfer.Offset, content);

        Assert.Equal(sha256, reply.Sha256);
        var stored = Directory.EnumerateFiles(Path.Combine(b.StorageDir, "centers", "center-a"), "*", SearchOption.AllDirectories).Single();
        Assert.Equal(content, await File.ReadAllBytesAsync(stored));
        Assert.Contains($"Transfer {Guid.Parse(transferId)} is received by replica replica-a from offset 0", a.Output, StringComparison.Ordinal);
        Assert.Contains($"Transfer {Guid.Parse(transferId)} is received by replica replica-b from offset {again.Transfer.Offset}", b.Output, StringComparison.Ordinal);
    }

    /// <summary>
    /// As a sender does: a busy refusal is retried (bounded), since the server ends a killed process's session,
    /// and frees its lock, a moment after the process is gone.
    /// </summary>
    private static async Task<UploadReply> ResumeAsync(Transfer.TransferClient client, string transferId, long offset, byte[] content)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await UploadAsync(client, transferId, offset, content);
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Aborted && attempt < 50)
            {
                await Task.Delay(200);
            }
        }
    }

    private static async Task<UploadReply> UploadAsync(Transfer.TransferClient client, string transferId, long offset, byte[] content)
    {
        using var call = client.Upload(deadline: DateTime.UtcNow.AddMinutes(2));
        await call.RequestStream.WriteAsync(new UploadRequest { Header = new UploadHeader { TransferId = transferId, Offset = offset } });
        try
        {
            for (var position = offset; position < content.Length; position += Chunk)
            {
                var length = (int)Math.Min(Chunk, content.Length - position);
                await call.RequestStream.WriteAsync(new UploadRequest { Chunk = ByteString.CopyFrom(content, (int)position, length) });
            }

            await call.RequestStream.CompleteAsync();
        }
        catch (Exception ex) when (ex is RpcException or InvalidOperationException or IOException)
        {
            // Refused while still writing: the status comes with the response.
        }

        return await call.ResponseAsync;
    }
}
