using LxAnnotate.Hub.Data;
using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Storage;
using LxAnnotate.Hub.Transfer.PartialFiles;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.Hub.Transfer.Sessions;

/// <summary>Expiry of open transfers nobody resumes, so partial files never pile up.</summary>
internal sealed partial class AbandonedTransfers(
    LxaDbContext db,
    PartialFileStore partials,
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
        var abandoned = await db.Transfers.Where(t => t.State == TransferState.Open && t.UpdatedAt < cutoff).ToListAsync(cancellationToken);
        foreach (var session in abandoned)
        {
            session.State = TransferState.Expired;
            session.Error = "Expired after no progress.";
            session.UpdatedAt = time.GetUtcNow();
            partials.Discard(session.Id);
            LogExpired(logger, session.Id, session.ReceivedBytes);
        }

        await db.SaveChangesAsync(cancellationToken);

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

        return abandoned.Count;
    }

    [LoggerMessage(EventId = 3006, Level = LogLevel.Information, Message = "Transfer {TransferId} expired at {Offset} bytes; partial data removed")]
    private static partial void LogExpired(ILogger logger, Guid transferId, long offset);
}
