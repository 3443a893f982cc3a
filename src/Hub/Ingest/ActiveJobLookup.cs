using LxAnnotate.Hub.Data;
using LxAnnotate.Hub.Domain;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.Hub.Ingest;

/// <summary>
/// The dedup rule as a query: an active job (not failed, not lost) of the same center is reused when it holds the
/// same content, or when it came with the same idempotency key from the same source system and boundary.
/// The database's partial unique indexes enforce the same rule against concurrent ingests.
/// </summary>
internal sealed class ActiveJobLookup(LxaDbContext db)
{
    /// <summary>The oldest active job of this center that the request would reuse; by key alone when <paramref name="sha256"/> is null.</summary>
    public Task<UploadJob?> FindAsync(long centerId, IngestRequest request, string? sha256, CancellationToken cancellationToken)
    {
        var key = request.IdempotencyKey;
        var system = request.SourceSystem;
        var mode = request.Boundary;
        var contentType = request.ContentType;
        return db.UploadJobs.AsNoTracking()
            .Where(j => j.SourceCenterId == centerId
                && j.Status != UploadJobStatus.Error && j.Status != UploadJobStatus.Lost
                && ((sha256 != null && j.ContentType == contentType && j.ContentHash == sha256)
                    || (key != null && j.SourceSystem == system && j.IngestMode == mode && j.IdempotencyKey == key)))
            // The job holding the key comes first, so a key reused with other content is always seen as such.
            .OrderBy(j => key != null && j.SourceSystem == system && j.IngestMode == mode && j.IdempotencyKey == key ? 0 : 1)
            .ThenBy(j => j.CreatedAt)
            .FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>Whether an active job of this center holds content of this type and size (the content it could be).</summary>
    public Task<bool> AnyOfSizeAsync(long centerId, string contentType, long sizeBytes, CancellationToken cancellationToken) =>
        db.UploadJobs.AsNoTracking().AnyAsync(
            j => j.SourceCenterId == centerId && j.SizeBytes == sizeBytes && j.ContentType == contentType
                && j.Status != UploadJobStatus.Error && j.Status != UploadJobStatus.Lost,
            cancellationToken);

    /// <summary>
    /// The active jobs any of <paramref name="wanted"/> may reuse, by content or by idempotency key, in one query,
    /// oldest first; <see cref="Reuses"/> picks each item's own as <see cref="FindAsync"/> would.
    /// </summary>
    public async Task<List<UploadJob>> FindManyAsync(
        IReadOnlyList<(long CenterId, IngestRequest Request, string Sha256)> wanted, CancellationToken cancellationToken)
    {
        var centerIds = wanted.Select(w => w.CenterId).Distinct().ToList();
        var hashes = wanted.Select(w => w.Sha256).Distinct(StringComparer.Ordinal).ToList();
        var keys = wanted.Select(w => w.Request.IdempotencyKey).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        return await db.UploadJobs.AsNoTracking()
            .Where(j => centerIds.Contains(j.SourceCenterId)
                && j.Status != UploadJobStatus.Error && j.Status != UploadJobStatus.Lost
                && (hashes.Contains(j.ContentHash) || (j.IdempotencyKey != null && keys.Contains(j.IdempotencyKey))))
            .OrderBy(j => j.CreatedAt)
            .ToListAsync(cancellationToken);
    }

    /// <summary>Of <paramref name="existing"/> (oldest first), the job <see cref="FindAsync"/> would return for this request.</summary>
    public static UploadJob? Pick(IEnumerable<UploadJob> existing, long centerId, IngestRequest request, string sha256)
    {
        var candidates = existing.Where(j => Reuses(j, centerId, request, sha256)).ToList();
        return candidates.FirstOrDefault(j => HoldsKey(j, request)) ?? candidates.FirstOrDefault();
    }

    /// <summary>
    /// True when <paramref name="job"/> holds the request's idempotency key but other content: reusing it would answer
    /// the sender with bytes it did not send, so the artifact is refused instead.
    /// </summary>
    public static bool KeyHeldByOtherContent(UploadJob job, IngestRequest request, string sha256, long sizeBytes) =>
        HoldsKey(job, request)
        && (!string.Equals(job.ContentHash, sha256, StringComparison.Ordinal) || job.SizeBytes != sizeBytes);

    /// <summary>The in-memory form of <see cref="FindAsync"/>'s condition, for one active job.</summary>
    public static bool Reuses(UploadJob job, long centerId, IngestRequest request, string sha256) =>
        job.SourceCenterId == centerId
        && ((string.Equals(job.ContentType, request.ContentType, StringComparison.Ordinal) && string.Equals(job.ContentHash, sha256, StringComparison.Ordinal))
            || HoldsKey(job, request));

    private static bool HoldsKey(UploadJob job, IngestRequest request) =>
        request.IdempotencyKey is { } key
        && string.Equals(job.IdempotencyKey, key, StringComparison.Ordinal)
        && string.Equals(job.SourceSystem, request.SourceSystem, StringComparison.Ordinal)
        && job.IngestMode == request.Boundary;

    /// <summary>Which rule made <paramref name="job"/> the one reused, as the audit names it.</summary>
    public static string MatchedBy(UploadJob job, string sha256) =>
        string.Equals(job.ContentHash, sha256, StringComparison.Ordinal) ? "content_hash" : "idempotency_key";
}
