using System.Text.RegularExpressions;
using LxAnnotate.Shared.Configuration;
using LxAnnotate.Shared.Data;
using LxAnnotate.Shared.Domain;
using LxAnnotate.Shared.Storage;
using LxAnnotate.Shared.Storage.Encryption;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace LxAnnotate.Shared.Ingest;

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

        var problem = ValidateMetadata(request);
        if (problem is not null)
        {
            throw Reject(request, IngestRejectionReason.InvalidInput, problem);
        }

        var candidates = new[] { request.DeclaredCenterKey?.Trim(), settings.DefaultCenterKey, request.Caller.NodeCenterKey }
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var known = await db.Centers.AsNoTracking()
            .Where(c => candidates.Contains(c.CenterKey))
            .ToDictionaryAsync(c => c.CenterKey, StringComparer.Ordinal, cancellationToken);

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

    private async Task<IngestResult> CommitAsync(IngestRequest request, Center center, StagedContent staged, CancellationToken cancellationToken)
    {
        try
        {
            var expectedHash = request.ExpectedSha256?.ToLowerInvariant();
            if (request.ExpectedSizeBytes is { } size && size != staged.SizeBytes)
            {
                throw Reject(request, IngestRejectionReason.IntegrityMismatch, $"Received {staged.SizeBytes} bytes, declared {size}.");
            }

            if (expectedHash is not null && !string.Equals(expectedHash, staged.Sha256, StringComparison.Ordinal))
            {
                throw Reject(request, IngestRejectionReason.IntegrityMismatch, "The SHA-256 of the received bytes differs from the declared one.");
            }

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

    /// <summary>Inserts the job and moves the file inside one transaction; null when a unique index refused it.</summary>
    private async Task<UploadJob?> TryInsertAsync(IngestRequest request, Center center, StagedContent staged, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var relativePath = ContentStore.RelativePathFor(center.CenterKey, staged.Sha256, request.ContentType, request.StorageClass);
        var job = new UploadJob
        {
            Id = Guid.CreateVersion7(now),
            SourceCenterId = center.Id,
            SourceSystem = request.SourceSystem,
            IngestMode = request.Boundary,
            ContentType = request.ContentType,
            ContentHash = staged.Sha256,
            SizeBytes = staged.SizeBytes,
            IdempotencyKey = request.IdempotencyKey,
            OriginalFilename = SafeFileName(request.OriginalFilename),
            StoragePath = relativePath,
            StorageClass = request.StorageClass,
            StorageTier = request.StorageTier,
            RetentionPolicy = request.RetentionPolicy,
            ProcessingProvenance = BuildProvenance(request, center, staged.Sha256),
            CreatedAt = now,
            UpdatedAt = now,
        };

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        // A failed insert rolls back the whole transaction; a savepoint around it would only add two round trips.
        var savepoints = db.Database.AutoSavepointsEnabled;
        db.Database.AutoSavepointsEnabled = false;
        db.UploadJobs.Add(job);
        try
        {
            // The insert takes the unique-index entry; a concurrent twin waits on it and then fails,
            // so only one of them ever reaches the file move below.
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (DbErrors.IsUniqueViolation(ex))
        {
            await transaction.RollbackAsync(CancellationToken.None);
            db.ChangeTracker.Clear();
            return null;
        }
        finally
        {
            db.Database.AutoSavepointsEnabled = savepoints;
        }

        store.Commit(staged, relativePath);
        try
        {
            await transaction.CommitAsync(CancellationToken.None);
        }
        catch
        {
            db.ChangeTracker.Clear();
            var referenced = await db.UploadJobs.AsNoTracking().AnyAsync(j => j.StoragePath == relativePath, CancellationToken.None);
            if (!referenced)
            {
                ContentStore.DeleteQuietly(store.AbsolutePath(relativePath));
            }

            throw;
        }

        db.Entry(job).State = EntityState.Detached;
        return job;
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


    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$")]
    private static partial Regex SourceSystemPattern();

    [GeneratedRegex("^[a-z0-9][a-z0-9.+-]*/[a-z0-9][a-z0-9.+-]*$")]
    private static partial Regex ContentTypePattern();

    [GeneratedRegex("^[0-9a-fA-F]{64}$")]
    private static partial Regex Sha256Pattern();
}
