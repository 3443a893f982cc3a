using LxAnnotate.Hub.Data;
using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Storage;
using LxAnnotate.Hub.Transfer.PartialFiles;
using LxAnnotate.Hub.Transfer.Upload;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.Hub.Transfer.Sessions;

/// <summary>Expiry of open transfers nobody resumes, so partial files never pile up.</summary>
internal sealed partial class AbandonedTransfers(
    LxaDbContext db,
    PartialFileStore partials,
    TransferLock transferLock,
    TransferOptions options,
    TimeProvider time,
    ILogger<AbandonedTransfers> logger)
{
    /// <summary>
    /// Expires open transfers untouched for <see cref="TransferOptions.ExpireAfter"/> and removes their
    /// partial files, plus staging leftovers of interrupted uploads. Returns how many transfers expired.
    /// </summary>
    public async Task<int> ExpireAbandonedAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - options.ExpireAfter;
        var abandoned = await db.Transfers.AsNoTracking()
            .Where(t => t.State == TransferState.Open && t.UpdatedAt < cutoff)
            .Select(t => new { t.Id, t.ReceivedBytes })
            .ToListAsync(cancellationToken);
        var expired = 0;
        foreach (var candidate in abandoned)
        {
            if (await ExpireAsync(candidate.Id, cutoff, cancellationToken))
            {
                expired++;
                LogExpired(logger, candidate.Id, candidate.ReceivedBytes);
            }
        }

        if (Directory.Exists(partials.IncomingDir))
        {
            foreach (var staged in Directory.EnumerateFiles(partials.IncomingDir, "stage-*.part"))
            {
                if (File.GetLastWriteTimeUtc(staged) < cutoff.UtcDateTime)
                {
                    ContentStore.DeleteQuietly(staged);
                }
            }
        }

        return expired;
    }

    /// <summary>
    /// Under the transfer's lock (a stream receiving it keeps it open), and only if it is still open and untouched:
    /// a sweep that overlaps another one, or a stream that just moved the transfer, never expires it twice or wrongly.
    /// </summary>
    private async Task<bool> ExpireAsync(Guid transferId, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await using var held = await transferLock.TryAcquireAsync(transferId, cancellationToken);
        if (held is null)
        {
            return false;
        }

        var now = time.GetUtcNow();
        var changed = await db.Transfers
            .Where(t => t.Id == transferId && t.State == TransferState.Open && t.UpdatedAt < cutoff)
            .ExecuteUpdateAsync(
                set => set.SetProperty(t => t.State, TransferState.Expired).SetProperty(t => t.Error, "Expired after no progress.").SetProperty(t => t.UpdatedAt, now),
                cancellationToken);
        if (changed == 0)
        {
            return false;
        }

        partials.Discard(transferId);
        return true;
    }

    [LoggerMessage(EventId = 3006, Level = LogLevel.Information, Message = "Transfer {TransferId} expired at {Offset} bytes; partial data removed")]
    private static partial void LogExpired(ILogger logger, Guid transferId, long offset);
}
