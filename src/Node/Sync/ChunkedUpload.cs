using System.Buffers;
using Google.Protobuf;
using LxAnnotate.Shared.Protos.V1;
using ProtoTransfer = LxAnnotate.Shared.Protos.V1.Transfer;

namespace LxAnnotate.Node.Sync;

/// <summary>The <c>Upload</c> call of one transfer: the file's bytes from the hub's durable offset, read ahead while sending.</summary>
internal static class ChunkedUpload
{
    /// <summary>
    /// Streams <paramref name="path"/> from the offset the hub holds into the transfer, in chunks of at most
    /// <paramref name="maxChunk"/> (or the hub's smaller limit), and returns the hub's receipt.
    /// </summary>
    public static async Task<UploadReply> SendAsync(
        ProtoTransfer.TransferClient client, string path, TransferReady ready, int maxChunk, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var chunkSize = ready.MaxChunkBytes > 0 && ready.MaxChunkBytes <= maxChunk ? ready.MaxChunkBytes : maxChunk;
        using var call = client.Upload(cancellationToken: cancellationToken);
        await call.RequestStream.WriteAsync(new UploadRequest { Header = new UploadHeader { TransferId = ready.TransferId, Offset = ready.Offset } }, cancellationToken);
        progress?.Report(ready.Offset);

        // Read-ahead: the next chunk is read from disk while the current one is being sent.
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        file.Position = ready.Offset;
        byte[][] buffers = [ArrayPool<byte>.Shared.Rent(chunkSize), ArrayPool<byte>.Shared.Rent(chunkSize)];
        var current = 0;
        var reading = file.ReadAsync(buffers[current].AsMemory(0, chunkSize), cancellationToken).AsTask();
        try
        {
            var sent = ready.Offset;
            int read;
            while ((read = await reading) > 0)
            {
                var next = 1 - current;
                reading = file.ReadAsync(buffers[next].AsMemory(0, chunkSize), cancellationToken).AsTask();

                // WriteAsync serializes the message before it completes, so the buffer can be reused after it.
                await call.RequestStream.WriteAsync(new UploadRequest { Chunk = UnsafeByteOperations.UnsafeWrap(buffers[current].AsMemory(0, read)) }, cancellationToken);
                sent += read;
                progress?.Report(sent);
                current = next;
            }
        }
        finally
        {
            // A read still running (the send failed) must end before its buffer goes back to the pool.
            await DrainAsync(reading);
            ArrayPool<byte>.Shared.Return(buffers[0]);
            ArrayPool<byte>.Shared.Return(buffers[1]);
        }

        await call.RequestStream.CompleteAsync();
        return await call.ResponseAsync;
    }

    /// <summary>Waits for a read whose result is no longer needed; its failure was or will be reported by the send.</summary>
    private static async Task DrainAsync(Task<int> reading)
    {
        try
        {
            await reading;
        }
        catch (IOException)
        {
        }
        catch (OperationCanceledException)
        {
        }
    }
}
