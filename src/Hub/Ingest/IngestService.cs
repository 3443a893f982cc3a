using LxAnnotate.Hub.Data;
using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Storage;
using LxAnnotate.Hub.Storage.Encryption;
using LxAnnotate.Shared.Configuration;
using Microsoft.Extensions.Logging;

namespace LxAnnotate.Hub.Ingest;

/// <summary>
/// The one ingest contract every boundary (REST, watcher, transfer) calls: resolve the center by policy,
/// stream the bytes into storage while hashing, and create or reuse the UploadJob under the
/// dedup rules. Sensitive content types go to the <see cref="StorageClasses.Encrypted"/> class (LXENC01, the
/// plaintext never written) when a master key is configured; the job's hash and size are always the plaintext's.
/// The database's partial unique indexes, not this code, are what makes concurrent ingests of the same content end
/// in one job.
/// </summary>
/// <remarks>
/// The work is done by the pieces composed here: <see cref="CenterResolver"/> (with <see cref="CenterPolicy"/>, where
/// <c>center_key</c> is enforced), <see cref="ContentStager"/>, <see cref="ActiveJobLookup"/> (dedup),
/// <see cref="JobRecorder"/> and <see cref="JobInserter"/> (the transaction), and the
/// <see cref="SingleIngest"/> and <see cref="BatchIngest"/> flows.
/// </remarks>
public sealed class IngestService
{
    private readonly CenterResolver centers;
    private readonly ActiveJobLookup activeJobs;
    private readonly SingleIngest single;
    private readonly BatchIngest batch;
    private readonly ILogger audit;

    public IngestService(
        LxaDbContext db,
        ContentStore store,
        EncryptedArtifactStore encryptedStore,
        LxaRuntimeSettings settings,
        TimeProvider time,
        ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(loggerFactory);

        // The pieces are internal and live exactly as long as this scoped service (they share its DbContext),
        // so they are composed here rather than registered one by one.
        audit = loggerFactory.CreateLogger(AuditLog.Category);
        centers = new CenterResolver(db, settings, audit);
        activeJobs = new ActiveJobLookup(db);
        var stager = new ContentStager(store, encryptedStore, audit);
        var jobs = new UploadJobFactory(settings, time);
        var inserter = new JobInserter(db, store);
        var recorder = new JobRecorder(activeJobs, jobs, inserter, stager, audit);
        single = new SingleIngest(centers, stager, activeJobs, recorder, audit);
        batch = new BatchIngest(centers, stager, activeJobs, jobs, inserter, recorder, audit, loggerFactory.CreateLogger<IngestService>());
    }

    // Argument checks stay inside the async methods, so a bad argument faults the returned task as it always has.

    /// <summary>Streams <paramref name="content"/> into storage and records the job.</summary>
    /// <param name="maxBytes">Boundary's size limit; more bytes reject the artifact with <see cref="IngestRejectionReason.TooLarge"/>.</param>
    /// <param name="contentInMemory">
    /// True when <paramref name="content"/> is already in memory (a <c>Deliver</c> call): the idempotency key is then
    /// looked up once, together with the content hash, right before the insert, instead of also before staging.
    /// </param>
    public async Task<IngestResult> IngestAsync(
        IngestRequest request, Stream content, long maxBytes, CancellationToken cancellationToken, bool contentInMemory = false)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(content);

        return await single.IngestAsync(request, content, maxBytes, contentInMemory, cancellationToken);
    }

    /// <summary>
    /// Ingests several small artifacts already in memory (a <c>DeliverMany</c> call) with what <see cref="IngestAsync"/>
    /// does for each, but one query for their centers, one for the jobs they may reuse, and one transaction that
    /// records all new jobs. The bytes are staged (hashed, encrypted by class, fsynced) up to
    /// <paramref name="parallelism"/> at a time before that transaction. A refusal is the outcome of its item alone;
    /// any other failure fails the whole call, and nothing staged is left behind.
    /// </summary>
    /// <remarks>
    /// An item whose content or idempotency key an earlier item of the same call claims, and every new item when
    /// the transaction meets a concurrent ingest of the same content (a unique index refuses it, or PostgreSQL
    /// breaks a deadlock between two such batches), is recorded one at a time afterwards, as
    /// <see cref="IngestAsync"/> records it; it then reuses the job it met.
    /// </remarks>
    public async Task<IReadOnlyList<IngestItemOutcome>> IngestManyAsync(
        IReadOnlyList<IngestItem> items, long maxBytes, int parallelism, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentOutOfRangeException.ThrowIfLessThan(parallelism, 1);

        return await batch.IngestAsync(items, maxBytes, parallelism, cancellationToken);
    }

    /// <summary>
    /// Records bytes a boundary has already staged and verified (the transfer receiver). The service
    /// takes ownership of the staged file: it is moved into place or deleted, never left behind.
    /// </summary>
    public async Task<IngestResult> IngestStagedAsync(IngestRequest request, StagedContent staged, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(staged);

        return await single.IngestStagedAsync(request, staged, cancellationToken);
    }

    /// <summary>
    /// Validates the metadata and decides the center, before any byte is stored. Boundaries that must
    /// refuse early (the transfer <c>Offer</c>) call this on its own.
    /// </summary>
    public async Task<Center> ResolveCenterAsync(IngestRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);

        return await centers.ResolveAsync(request, cancellationToken);
    }

    /// <summary>
    /// True when an active job of this center holds content of this type and size: content the center may already
    /// store, so an offer without its SHA-256 cannot be told apart from it.
    /// </summary>
    public Task<bool> HoldsContentOfSizeAsync(long centerId, string contentType, long sizeBytes, CancellationToken cancellationToken) =>
        activeJobs.AnyOfSizeAsync(centerId, contentType, sizeBytes, cancellationToken);

    /// <summary>
    /// An active job of this center that the request would reuse, by content or by idempotency key. A job that holds the
    /// request's key with other content than <paramref name="sha256"/> and the declared size is refused with
    /// <see cref="IngestRejectionReason.IdempotencyConflict"/>, never returned.
    /// </summary>
    public async Task<UploadJob?> FindActiveJobAsync(long centerId, IngestRequest request, string? sha256, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);

        var job = await activeJobs.FindAsync(centerId, request, sha256, cancellationToken);
        if (job is not null && sha256 is not null
            && ActiveJobLookup.KeyHeldByOtherContent(job, request, sha256, request.ExpectedSizeBytes ?? job.SizeBytes))
        {
            throw AuditLog.KeyConflict(audit, request, job);
        }

        return job;
    }
}
