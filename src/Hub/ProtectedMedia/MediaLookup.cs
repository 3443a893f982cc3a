using LxAnnotate.Hub.Data;
using LxAnnotate.Hub.Ingest;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.Hub.ProtectedMedia;

/// <summary>
/// The artifact of one job, if the caller may see it: the same scope rule as the upload status endpoint
/// (<c>UploadStatusLookup</c>), so a job of another center is "not found" exactly like a missing one.
/// </summary>
internal static class MediaLookup
{
    public static async Task<MediaItem?> FindAsync(LxaDbContext db, Guid id, CallerIdentity caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(caller);

        var row = await db.UploadJobs.AsNoTracking()
            .Where(j => j.Id == id)
            .Select(j => new { j.Id, j.ContentType, j.StoragePath, j.StorageEncoding, j.SizeBytes, CenterKey = j.SourceCenter!.CenterKey })
            .FirstOrDefaultAsync(cancellationToken);

        // Anonymous callers exist only where ENFORCE_AUTH is off (standalone).
        var visible = row is not null && caller.Kind switch
        {
            CallerKind.Anonymous => true,
            CallerKind.User => caller.CenterScope.Contains(row.CenterKey),
            _ => false,
        };
        return visible ? new MediaItem(row!.Id, row.ContentType, row.StoragePath, row.StorageEncoding, row.SizeBytes) : null;
    }
}
