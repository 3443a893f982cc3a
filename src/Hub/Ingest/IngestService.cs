using System.Text.RegularExpressions;
using LxAnnotate.Hub.Data;
using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Storage.Encryption;
using LxAnnotate.Hub.Storage;
using LxAnnotate.Shared.Configuration;
using LxAnnotate.Shared.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace LxAnnotate.Hub.Ingest;

/// <summary>
/// The one ingest contract every boundary (REST, watcher, transfer) calls: resolve the center by policy,
/// stream the bytes into storage while hashing, and create or reuse the UploadJob under the
/// dedup rules. Sensitive content types go to the <see cref="StorageClasses.Encrypted"/> class (LXENC01, the
/// plaintext never written) when a master key is configured; the job's hash and size are always the plaintext's. The database's partial unique indexes, not this code, are what makes concurrent
/// ingests of the same content end in one job.
/// </summary>
public sealed partial class IngestService(
    LxaDbContext db,
    ContentStore store,
    EncryptedArtifactStore encryptedStore,
    LxaRuntimeSettings settings,
    TimeProvider time,
    ILoggerFactory loggerFactory)
{
    private const int MaxCommitAttempts = 3;

    private readonly ILogger audit = loggerFactory.CreateLogger(AuditLog.Category);
    private readonly ILogger logger = loggerFactory.CreateLogger<IngestService>();

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

        var center = await ResolveCenterAsync(request, cancellationToken);

        // A retried request with a known idempotency key costs no bytes on disk.
        if (request.IdempotencyKey is not null && !contentInMemory)
        {
            var previous = await FindActiveJobAsync(center.Id, request, sha256: null, cancellationToken);
            if (previous is not null)
            {
                AuditLog.JobReused(audit, previous, center.CenterKey, request.Boundary, "idempotency_key");
                return new IngestResult(previous, Created: false);
            }
        }

        var storageClass = DecideStorageClass(request);
        StagedContent staged;
        try
        {
            staged = storageClass == StorageClasses.Encrypted
                ? await encryptedStore.StageAsync(content, maxBytes, cancellationToken)
                : await store.StageAsync(content, maxBytes, cancellationToken);
        }
        catch (ContentTooLargeException ex)
        {
            throw Reject(request, IngestRejectionReason.TooLarge, ex.Message);
        }

        return await CommitAsync(request with { StorageClass = storageClass }, center, staged, cancellationToken);
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

        var outcomes = new IngestItemOutcome[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            if (ValidateMetadata(items[i].Request) is { } problem)
            {
                outcomes[i] = new IngestItemOutcome(null, Reject(items[i].Request, IngestRejectionReason.InvalidInput, problem));
            }
        }

        var prepared = new (IngestRequest Request, Center Center)?[items.Count];
        var known = await LoadCentersAsync(items.Where((_, i) => outcomes[i].Rejection is null).Select(i => i.Request), cancellationToken);
        for (var i = 0; i < items.Count; i++)
        {
            if (outcomes[i].Rejection is not null)
            {
                continue;
            }

            try
            {
                var request = items[i].Request;
                var center = DecideCenter(request, known);
                prepared[i] = (request with { StorageClass = DecideStorageClass(request) }, center);
            }
            catch (IngestRejectedException rejected)
            {
                outcomes[i] = new IngestItemOutcome(null, rejected);
            }
        }

        var staged = new StagedContent?[items.Count];
        try
        {
            var toStage = Enumerable.Range(0, items.Count).Where(i => prepared[i] is not null);
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken };
            await Parallel.ForEachAsync(toStage, parallel, async (i, token) =>
            {
                var request = prepared[i]!.Value.Request;
                try
                {
                    using var content = new ReadOnlyMemoryStream(items[i].Content);
                    staged[i] = request.StorageClass == StorageClasses.Encrypted
                        ? await encryptedStore.StageAsync(content, maxBytes, token)
                        : await store.StageAsync(content, maxBytes, token);
                    Verify(request, staged[i]!);
                }
                catch (ContentTooLargeException ex)
                {
                    outcomes[i] = new IngestItemOutcome(null, Reject(request, IngestRejectionReason.TooLarge, ex.Message));
                }
                catch (IngestRejectedException rejected)
                {
                    outcomes[i] = new IngestItemOutcome(null, rejected);
                }
            });

            var ready = Enumerable.Range(0, items.Count)
                .Where(i => outcomes[i].Rejection is null && staged[i] is not null)
                .Select(i => (Index: i, prepared[i]!.Value.Request, prepared[i]!.Value.Center, Staged: staged[i]!))
                .ToList();
            if (ready.Count == 0)
            {
                return outcomes;
            }

            var existing = await FindActiveJobsAsync(ready.Select(r => (r.Center.Id, r.Request, r.Staged.Sha256)).ToList(), cancellationToken);
            var newItems = new List<(int Index, IngestRequest Request, Center Center, StagedContent Staged)>();
            var oneByOne = new List<int>();
            var claimedContent = new HashSet<(long Center, string ContentType, string Sha256)>();
            var claimedKeys = new HashSet<(long Center, string SourceSystem, IngestMode Boundary, string Key)>();
            var claimedPaths = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (index, request, center, item) in ready)
            {
                if (existing.FirstOrDefault(j => Reuses(j, center.Id, request, item.Sha256)) is { } job)
                {
                    AuditLog.JobReused(audit, job, center.CenterKey, request.Boundary, MatchedBy(job, item.Sha256));
                    outcomes[index] = new IngestItemOutcome(new IngestResult(job, Created: false), null);
                    continue;
                }

                // What an earlier item of this call already claims is recorded after the batch, reusing its job.
                var path = ContentStore.RelativePathFor(center.CenterKey, item.Sha256, request.ContentType, request.StorageClass);
                var claimed = !claimedContent.Add((center.Id, request.ContentType, item.Sha256))
                    | !claimedPaths.Add(path)
                    | (request.IdempotencyKey is { } key && !claimedKeys.Add((center.Id, request.SourceSystem, request.Boundary, key)));
                if (claimed)
                {
                    oneByOne.Add(index);
                    continue;
                }

                newItems.Add((index, request, center, item));
            }

            // Ids ascending in the order of the content index: EF Core writes a batch in key order, so two batches that
            // share content take its index entries in the same order and wait on each other instead of deadlocking.
            newItems.Sort((x, y) => ContentOrder(x.Center.Id, x.Request.ContentType, x.Staged.Sha256, y.Center.Id, y.Request.ContentType, y.Staged.Sha256));
            var now = time.GetUtcNow();
            var ids = newItems.Select(_ => Guid.CreateVersion7(now)).Order().ToList();
            var fresh = newItems.Select((n, k) => (n.Index, Job: NewJob(n.Request, n.Center, n.Staged, ids[k]), n.Staged)).ToList();

            if (fresh.Count > 0)
            {
                if (await TryInsertManyAsync(fresh.ConvertAll(f => (f.Job, f.Staged)), cancellationToken))
                {
                    foreach (var (index, job, _) in fresh)
                    {
                        AuditLog.JobCreated(audit, job, prepared[index]!.Value.Center.CenterKey);
                        outcomes[index] = new IngestItemOutcome(new IngestResult(job, Created: true), null);
                    }
                }
                else
                {
                    LogBatchConflict(logger, fresh.Count);
                    oneByOne.AddRange(fresh.Select(f => f.Index));
                    oneByOne.Sort();
                }
            }

            foreach (var index in oneByOne)
            {
                var (request, center) = prepared[index]!.Value;
                try
                {
                    outcomes[index] = new IngestItemOutcome(await CommitAsync(request, center, staged[index]!, cancellationToken), null);
                }
                catch (IngestRejectedException rejected)
                {
                    outcomes[index] = new IngestItemOutcome(null, rejected);
                }
            }

            return outcomes;
        }
        finally
        {
            // No-op for files moved into place; everything else staged is removed.
            foreach (var item in staged)
            {
                if (item is not null)
                {
                    ContentStore.DeleteQuietly(item.Path);
                }
            }
        }
    }

    /// <summary>
    /// Records bytes a boundary has already staged and verified (the transfer receiver). The service
    /// takes ownership of the staged file: it is moved into place or deleted, never left behind.
    /// </summary>
    public async Task<IngestResult> IngestStagedAsync(IngestRequest request, StagedContent staged, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(staged);

        Center center;
        string storageClass;
        try
        {
            center = await ResolveCenterAsync(request, cancellationToken);
            storageClass = DecideStorageClass(request);
            if (staged.Encrypted && storageClass != StorageClasses.Encrypted)
            {
                throw new InvalidOperationException(
                    $"The boundary staged ciphertext for a {request.ContentType} artifact that is stored in the {storageClass} class.");
            }

            if (storageClass == StorageClasses.Encrypted && !staged.Encrypted)
            {
                // The boundary staged plaintext before the class was known; it is encrypted and removed here.
                staged = await encryptedStore.EncryptStagedAsync(staged, cancellationToken);
            }
            else if (!staged.Durable)
            {
                // The bytes must be on disk before the job that points at them is committed.
                ContentStore.SyncFile(staged.Path);
                staged = staged with { Durable = true };
            }
        }
        catch
        {
            ContentStore.DeleteQuietly(staged.Path);
            throw;
        }

        return await CommitAsync(request with { StorageClass = storageClass }, center, staged, cancellationToken);
    }

    /// <summary>
    /// Validates the metadata and decides the center, before any byte is stored. Boundaries that must
    /// refuse early (the transfer <c>Offer</c>) call this on its own.
    /// </summary>
    public async Task<Center> ResolveCenterAsync(IngestRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);

        if (ValidateMetadata(request) is { } problem)
        {
            throw Reject(request, IngestRejectionReason.InvalidInput, problem);
        }

        var known = await LoadCentersAsync([request], cancellationToken);
        return DecideCenter(request, known);
    }

    /// <summary>The centers any of <paramref name="requests"/> may resolve to, by key, in one query.</summary>
    private async Task<Dictionary<string, Center>> LoadCentersAsync(IEnumerable<IngestRequest> requests, CancellationToken cancellationToken)
    {
        var candidates = requests
            .SelectMany(r => new[] { r.DeclaredCenterKey?.Trim(), settings.DefaultCenterKey, r.Caller.NodeCenterKey })
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return await db.Centers.AsNoTracking()
            .Where(c => candidates.Contains(c.CenterKey))
            .ToDictionaryAsync(c => c.CenterKey, StringComparer.Ordinal, cancellationToken);
    }

    /// <summary>Decides the center of a request with valid metadata among <paramref name="known"/>, or refuses the request.</summary>
    private Center DecideCenter(IngestRequest request, Dictionary<string, Center> known)
    {
        var decision = CenterPolicy.Resolve(
            settings.Role, request.Boundary, request.DeclaredCenterKey, request.Caller, settings.DefaultCenterKey, known.ContainsKey);
        if (!decision.IsResolved)
        {
            throw Reject(request, decision.Rejection!.Value, decision.Message);
        }

        AuditLog.CenterResolved(audit, request, decision);
        return known[decision.CenterKey!];
    }

    /// <summary>An active job of this center that the request would reuse, by content or by idempotency key.</summary>
    public Task<UploadJob?> FindActiveJobAsync(long centerId, IngestRequest request, string? sha256, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);

        var key = request.IdempotencyKey;
        var system = request.SourceSystem;
        var mode = request.Boundary;
        var contentType = request.ContentType;
        return db.UploadJobs.AsNoTracking()
            .Where(j => j.SourceCenterId == centerId
                && j.Status != UploadJobStatus.Error && j.Status != UploadJobStatus.Lost
                && ((sha256 != null && j.ContentType == contentType && j.ContentHash == sha256)
                    || (key != null && j.SourceSystem == system && j.IngestMode == mode && j.IdempotencyKey == key)))
            .OrderBy(j => j.CreatedAt)
            .FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>
    /// The active jobs any of <paramref name="wanted"/> may reuse, by content or by idempotency key, in one query,
    /// oldest first; <see cref="Reuses"/> picks each item's own as <see cref="FindActiveJobAsync"/> would.
    /// </summary>
    private async Task<List<UploadJob>> FindActiveJobsAsync(
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

    /// <summary>The in-memory form of <see cref="FindActiveJobAsync"/>'s condition, for one active job.</summary>
    private static bool Reuses(UploadJob job, long centerId, IngestRequest request, string sha256) =>
        job.SourceCenterId == centerId
        && ((string.Equals(job.ContentType, request.ContentType, StringComparison.Ordinal) && string.Equals(job.ContentHash, sha256, StringComparison.Ordinal))
            || (request.IdempotencyKey is { } key
                && string.Equals(job.IdempotencyKey, key, StringComparison.Ordinal)
                && string.Equals(job.SourceSystem, request.SourceSystem, StringComparison.Ordinal)
                && job.IngestMode == request.Boundary));

    private async Task<IngestResult> CommitAsync(IngestRequest request, Center center, StagedContent staged, CancellationToken cancellationToken)
    {
        try
        {
            Verify(request, staged);
            for (var attempt = 1; ; attempt++)
            {
                var existing = await FindActiveJobAsync(center.Id, request, staged.Sha256, cancellationToken);
                if (existing is not null)
                {
                    AuditLog.JobReused(audit, existing, center.CenterKey, request.Boundary, MatchedBy(existing, staged.Sha256));
                    return new IngestResult(existing, Created: false);
                }

                var created = await TryInsertAsync(request, center, staged, cancellationToken);
                if (created is not null)
                {
                    AuditLog.JobCreated(audit, created, center.CenterKey);
                    return new IngestResult(created, Created: true);
                }

                // Lost the race to a concurrent ingest of the same content: its job is reused on the next pass.
                if (attempt == MaxCommitAttempts)
                {
                    throw new InvalidOperationException("The upload job could not be recorded after repeated conflicts.");
                }
            }
        }
        finally
        {
            // No-op once the file was moved into place; otherwise nothing staged is left behind.
            ContentStore.DeleteQuietly(staged.Path);
        }
    }

    /// <summary>The staged bytes are the ones declared (size and SHA-256, where declared), or the artifact is refused.</summary>
    private void Verify(IngestRequest request, StagedContent staged)
    {
        if (request.ExpectedSizeBytes is { } size && size != staged.SizeBytes)
        {
            throw Reject(request, IngestRejectionReason.IntegrityMismatch, $"Received {staged.SizeBytes} bytes, declared {size}.");
        }

        var expectedHash = request.ExpectedSha256?.ToLowerInvariant();
        if (expectedHash is not null && !string.Equals(expectedHash, staged.Sha256, StringComparison.Ordinal))
        {
            throw Reject(request, IngestRejectionReason.IntegrityMismatch, "The SHA-256 of the received bytes differs from the declared one.");
        }
    }

    private static int ContentOrder(long centerX, string typeX, string hashX, long centerY, string typeY, string hashY)
    {
        var order = centerX.CompareTo(centerY);
        order = order != 0 ? order : string.CompareOrdinal(typeX, typeY);
        return order != 0 ? order : string.CompareOrdinal(hashX, hashY);
    }

    private UploadJob NewJob(IngestRequest request, Center center, StagedContent staged, Guid? id = null)
    {
        var now = time.GetUtcNow();
        return new UploadJob
        {
            Id = id ?? Guid.CreateVersion7(now),
            SourceCenterId = center.Id,
            SourceSystem = request.SourceSystem,
            IngestMode = request.Boundary,
            ContentType = request.ContentType,
            ContentHash = staged.Sha256,
            SizeBytes = staged.SizeBytes,
            IdempotencyKey = request.IdempotencyKey,
            OriginalFilename = SafeFileName(request.OriginalFilename),
            StoragePath = ContentStore.RelativePathFor(center.CenterKey, staged.Sha256, request.ContentType, request.StorageClass),
            StorageClass = request.StorageClass,
            StorageTier = request.StorageTier,
            RetentionPolicy = request.RetentionPolicy,
            ProcessingProvenance = BuildProvenance(request, center, staged.Sha256),
            CreatedAt = now,
            UpdatedAt = now,
        };
    }

    /// <summary>Inserts the job and moves the file inside one transaction; null when a concurrent ingest of the same content refused it.</summary>
    private async Task<UploadJob?> TryInsertAsync(IngestRequest request, Center center, StagedContent staged, CancellationToken cancellationToken)
    {
        var job = NewJob(request, center, staged);
        return await TryInsertManyAsync([(job, staged)], cancellationToken) ? job : null;
    }

    /// <summary>
    /// Inserts the jobs and moves their files inside one transaction; false, with nothing inserted or moved, when a
    /// unique index refused one of them or PostgreSQL ended the transaction to break a deadlock with a concurrent ingest.
    /// </summary>
    private async Task<bool> TryInsertManyAsync(List<(UploadJob Job, StagedContent Staged)> jobs, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        // A failed insert rolls back the whole transaction; a savepoint around it would only add two round trips.
        var savepoints = db.Database.AutoSavepointsEnabled;
        db.Database.AutoSavepointsEnabled = false;

        db.UploadJobs.AddRange(jobs.Select(j => j.Job));
        try
        {
            // The inserts take the unique-index entries; a concurrent twin waits on them and then fails,
            // so only one of them ever reaches the file moves below.
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (Exception ex) when ((ex is DbUpdateException update && DbErrors.IsUniqueViolation(update)) || DbErrors.IsDeadlock(ex))
        {
            await transaction.RollbackAsync(CancellationToken.None);
            db.ChangeTracker.Clear();
            return false;
        }
        finally
        {
            db.Database.AutoSavepointsEnabled = savepoints;
        }

        var moved = new List<string>(jobs.Count);
        try
        {
            foreach (var (job, staged) in jobs)
            {
                store.Commit(staged, job.StoragePath);
                moved.Add(job.StoragePath);
            }

            await transaction.CommitAsync(CancellationToken.None);
        }
        catch
        {
            // Rolled back first, so the check below sees only committed jobs: a file another job points at stays.
            await RollBackQuietlyAsync(transaction);
            db.ChangeTracker.Clear();
            foreach (var relativePath in moved)
            {
                var referenced = await db.UploadJobs.AsNoTracking().AnyAsync(j => j.StoragePath == relativePath, CancellationToken.None);
                if (!referenced)
                {
                    ContentStore.DeleteQuietly(store.AbsolutePath(relativePath));
                }
            }

            throw;
        }

        foreach (var (job, _) in jobs)
        {
            db.Entry(job).State = EntityState.Detached;
        }

        return true;
    }

    private static async Task RollBackQuietlyAsync(Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction transaction)
    {
        try
        {
            await transaction.RollbackAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.Data.Common.DbException)
        {
            // A failed commit has already ended the transaction.
        }
    }

    private ProcessingProvenance BuildProvenance(IngestRequest request, Center center, string sha256)
    {
        var hints = request.ProvenanceHints ?? new Dictionary<string, string>();
        string? Hint(string key) => hints.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;

        // An authenticated node's identity comes from its certificate, never from what it claims.
        var isNode = request.Caller.Kind == CallerKind.Node;
        return new ProcessingProvenance
        {
            Entrypoint = request.Entrypoint,
            IngestMode = request.Boundary.ToWire(),
            SourceSystem = request.SourceSystem,
            ContentHash = sha256,
            SourceCenterKey = center.CenterKey,
            StorageClass = request.StorageClass,
            StorageTier = request.StorageTier,
            RetentionPolicy = request.RetentionPolicy,
            DeclaredCenterKey = string.IsNullOrWhiteSpace(request.DeclaredCenterKey) ? null : request.DeclaredCenterKey.Trim(),
            ResolvedCenterKey = center.CenterKey,
            HubMode = settings.Role.ToWireName(),
            SourceNodeKey = isNode ? request.Caller.Subject : Hint("source_node_key"),
            TransferId = Hint("transfer_id"),
            ClientCertThumbprint = isNode ? request.Caller.CertificateThumbprint : Hint("client_cert_thumbprint"),
            WatchedPath = Hint("watched_path"),
            SidecarPath = Hint("sidecar_path"),
            OriginalFilename = SafeFileName(request.OriginalFilename) ?? Hint("original_filename"),
            Sidecar = SidecarProvenance.FromHints(hints),
            TransferKey = Hint("transfer_key"),
            EnvelopeFingerprintSha256 = Hint("envelope_fingerprint_sha256"),
        };
    }

    private static string? ValidateMetadata(IngestRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.Entrypoint))
        {
            return "entrypoint is required.";
        }

        if (!SourceSystemPattern().IsMatch(request.SourceSystem))
        {
            return "source_system must be 1-128 characters of letters, digits, '.', '_' or '-'.";
        }

        if (!ContentTypePattern().IsMatch(request.ContentType))
        {
            return $"content type '{request.ContentType}' is not a valid media type.";
        }

        if (request.IdempotencyKey is { } key && (key.Length is 0 or > 255 || key.Any(char.IsControl)))
        {
            return "idempotency_key must be 1-255 printable characters.";
        }

        if (request.OriginalFilename is { } name && (name.Length > 1024 || name.Any(char.IsControl)))
        {
            return "original_filename must be at most 1024 printable characters.";
        }

        if (request.ExpectedSha256 is { } sha && !Sha256Pattern().IsMatch(sha))
        {
            return "sha256 must be 64 hexadecimal characters.";
        }

        if (request.ExpectedSizeBytes is < 0)
        {
            return "size must not be negative.";
        }

        if (!StorageClasses.IsKnown(request.StorageClass))
        {
            return $"storage class '{request.StorageClass}' is unknown (expected managed or encrypted).";
        }

        try
        {
            ProcessingProvenance.ValidateHints(request.ProvenanceHints);
        }
        catch (ProvenanceSchemaException ex)
        {
            return ex.Message;
        }

        return null;
    }

    /// <summary>The storage class of this artifact; encrypted without a configured key is refused.</summary>
    private string DecideStorageClass(IngestRequest request) =>
        StorageClasses.Decide(request.StorageClass, request.ContentType, encryptedStore.IsConfigured)
        ?? throw Reject(request, IngestRejectionReason.InvalidInput, "encrypted storage was requested, but no master key is configured.");

    private IngestRejectedException Reject(IngestRequest request, IngestRejectionReason reason, string message)
    {
        AuditLog.Rejected(audit, request, reason, message);
        return new IngestRejectedException(reason, message);
    }

    private static string MatchedBy(UploadJob job, string sha256) =>
        string.Equals(job.ContentHash, sha256, StringComparison.Ordinal) ? "content_hash" : "idempotency_key";

    private static string? SafeFileName(string? name) =>
        string.IsNullOrWhiteSpace(name) ? null : Path.GetFileName(name.Replace('\\', '/'));


    [LoggerMessage(EventId = 2101, Level = LogLevel.Information,
        Message = "A batch of {Count} new jobs met a concurrent ingest of the same content; they are recorded one at a time")]
    private static partial void LogBatchConflict(ILogger logger, int count);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$")]
    private static partial Regex SourceSystemPattern();

    [GeneratedRegex("^[a-z0-9][a-z0-9.+-]*/[a-z0-9][a-z0-9.+-]*$")]
    private static partial Regex ContentTypePattern();

    [GeneratedRegex("^[0-9a-fA-F]{64}$")]
    private static partial Regex Sha256Pattern();
}
