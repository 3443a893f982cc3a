using System.Buffers;
using System.Security.Cryptography;
using LxAnnotate.Hub.Data;
using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Storage;
using LxAnnotate.Shared.Envelope;

namespace LxAnnotate.Hub.PythonEraTransfers;

/// <summary>Media sent again for an applied transfer: the same envelope and bytes get the same answer; anything else makes it inconsistent.</summary>
internal static class HubTransferMediaReplay
{
    public static async Task<IResult> ReplayAsync(LxaDbContext db, HubTransferJob job, MediaEnvelope? envelope, Stream body, HubTransferOptions settings, ILogger logger, TimeProvider time, CancellationToken cancellationToken)
    {
        var same = string.Equals(envelope?.FingerprintSha256(), job.EnvelopeFingerprint, StringComparison.Ordinal);
        if (same)
        {
            var sha = await HashAsync(body, settings.MaxUploadBytes, cancellationToken);
            same = string.Equals(sha, job.ReceivedMediaSha256, StringComparison.Ordinal);
        }

        if (same)
        {
            HubTransferLog.Replayed(logger, job.TransferKey);
            return TypedResults.Json(HubTransferStatusBody.For(job));
        }

        await HubTransferJobUpdates.MarkAsync(db, job.Id, HubTransferStatus.Inconsistent, "Different media was sent after the transfer was applied.", time);
        HubTransferLog.Inconsistent(logger, job.TransferKey);
        var current = await HubTransferJobUpdates.ReloadAsync(db, job.Id);
        return HubTransferApi.Refuse(logger, current, new HubTransferRefusal(StatusCodes.Status409Conflict, "The transfer was already applied with different media; it is now inconsistent.", "transfer_inconsistent", "media_replay"));
    }

    /// <summary>The SHA-256 of the bytes received, compared and thrown away: an applied transfer stages nothing again.</summary>
    private static async Task<string> HashAsync(Stream source, long maxBytes, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ContentStore.BufferSize);
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long size = 0;
            int read;
            while ((read = await source.ReadAsync(buffer.AsMemory(0, ContentStore.BufferSize), cancellationToken)) > 0)
            {
                size += read;
                if (size > maxBytes)
                {
                    throw HubTransferRefusals.MediaTooLarge(maxBytes);
                }

                hash.AppendData(buffer, 0, read);
            }

            return Convert.ToHexStringLower(hash.GetHashAndReset());
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
