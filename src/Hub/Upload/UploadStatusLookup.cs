using LxAnnotate.Hub.Data;
using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Ingest;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.Hub.Upload;

/// <summary>
/// Status of one job as a caller may see it. A job of a center outside a user's scope is "not found",
/// exactly like a job that does not exist, so the answer reveals nothing about other centers.
/// </summary>
internal static class UploadStatusLookup
{
    public static async Task<UploadStatusResponse?> FindAsync(LxaDbContext db, Guid id, CallerIdentity caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(caller);

        var row = await db.UploadJobs.AsNoTracking()
            .Where(j => j.Id == id)
            .Select(j => new { j.Id, j.Status, CenterKey = j.SourceCenter!.CenterKey, j.SourceSystem, j.IngestMode, j.ErrorCode, j.ErrorDetail })
            .FirstOrDefaultAsync(cancellationToken);

        // Anonymous callers exist only where ENFORCE_AUTH is off (standalone), which the original API allows to read.
        var visible = row is not null && caller.Kind switch
        {
            CallerKind.Anonymous => true,
            CallerKind.User => caller.CenterScope.Contains(row.CenterKey),
            _ => false,
        };
        if (!visible)
        {
            return null;
        }

        var failed = row!.Status is UploadJobStatus.Error or UploadJobStatus.Lost;
        var sensitiveMetaId = row.Status == UploadJobStatus.Anonymized
            ? await db.SensitiveMetas.AsNoTracking().Where(m => m.UploadJobId == row.Id).Select(m => (long?)m.Id).FirstOrDefaultAsync(cancellationToken)
            : null;
        return new UploadStatusResponse(
            row.Status.ToWire(),
            failed ? row.ErrorDetail ?? "No detail was recorded." : null,
            sensitiveMetaId,
            row.Id,
            row.CenterKey,
            row.SourceSystem,
            row.IngestMode.ToWire(),
            failed ? row.ErrorCode?.ToWire() : null);
    }
}
