using System.Buffers;
using System.Security.Cryptography;
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
        ProtoTransfer.TransferClient client, string path, TransferReady ready, int maxChunk, IProgress<long>? progress, CancellationToken cancellationToken) =>
        (await SendAsync(client, path, ready, maxChunk, progress, hashForTrailer: false, cancellationToken)).Reply;

    /// <summary>
    /// As above; with <paramref name="hashForTrailer"/> (a transfer offered without SHA-256) the file's SHA-256 is
    /// computed while it is read for sending (each chunk hashed while the previous one is written; the bytes before
    /// the hub's offset read first) and sent in the call's trailer, and returned with the receipt.
    /// </summary>
    public static async Task<(UploadReply Reply, string? Sha256)> SendAsync(
        ProtoTransfer.TransferClient client, string path, TransferReady ready, int maxChunk, IProgress<long>? progress, bool hashForTrailer, CancellationToken cancellationToken)
    {
        var chunkSize = ready.MaxChunkBytes > 0 && ready.MaxChunkBytes <= maxChunk ? ready.MaxChunkBytes : maxChunk;
        using var call = client.Upload(cancellationToken: cancellationToken);
        await call.RequestStream.WriteAsync(new UploadRequest { Header = new UploadHeader { TransferId = ready.TransferId, Offset = ready.Offset } }, cancellationToken);
        progress?.Report(ready.Offset);

        // Read-ahead: the next chunk is read from disk while the current one is being sent.
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        using var hash = hashForTrailer ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;
        byte[][] buffers = [ArrayPool<byte>.Shared.Rent(chunkSize), ArrayPool<byte>.Shared.Rent(chunkSize)];
        var current = 0;
        Task<int>? reading = null;
        try
        {
            if (hash is not null && ready.Offset > 0)
            {
                await HashPrefixAsync(file, hash, ready.Offset, buffers[0], cancellationToken);
            }

            file.Position = ready.Offset;
            reading = file.ReadAsync(buffers[current].AsMemory(0, chunkSize), cancellationToken).AsTask();
            var sent = ready.Offset;
            int read;
            while ((read = await reading) > 0)
            {
                var next = 1 - current;
                reading = file.ReadAsync(buffers[next].AsMemory(0, chunkSize), cancellationToken).AsTask();

                // The chunk is hashed on another thread while it is written; both end before its buffer is read into again.
                var chunk = buffers[current].AsMemory(0, read);
                var hashing = hash is null ? Task.CompletedTask : Task.Run(() => hash.AppendData(chunk.Span), CancellationToken.None);
                try
                {
                    // WriteAsync serializes the message before it completes, so the buffer can be reused after it.
                    await call.RequestStream.WriteAsync(new UploadRequest { Chunk = UnsafeByteOperations.UnsafeWrap(chunk) }, cancellationToken);
                }
                finally
                {
                    await hashing;
                }

                sent += read;
                progress?.Report(sent);
                current = next;
            }
        }
        finally
        {
            // A read still running (the send failed) must end before its buffer goes back to the pool.
            if (reading is not null)
            {
                await DrainAsync(reading);
            }

            ArrayPool<byte>.Shared.Return(buffers[0]);
            ArrayPool<byte>.Shared.Return(buffers[1]);
        }

        var sha256 = hash is null ? null : Convert.ToHexStringLower(hash.GetHashAndReset());
        if (sha256 is not null)
        {
            await call.RequestStream.WriteAsync(new UploadRequest { Trailer = new UploadTrailer { Sha256 = sha256 } }, cancellationToken);
        }

        await call.RequestStream.CompleteAsync();
        return (await call.ResponseAsync, sha256);
    }

    /// <summary>Hashes the file's first <paramref name="length"/> bytes (those the hub holds already), for the trailer.</summary>
    private static async Task HashPrefixAsync(FileStream file, IncrementalHash hash, long length, byte[] buffer, CancellationToken cancellationToken)
    {
        file.Position = 0;
        var left = length;
        while (left > 0)
        {
            var read = await file.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), cancellationToken);
            if (read == 0)
            {
                throw new IOException($"The file is shorter than the {length} bytes the hub holds already.");
            }

            hash.AppendData(buffer, 0, read);
            left -= read;
        }
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
