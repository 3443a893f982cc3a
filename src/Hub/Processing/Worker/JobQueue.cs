using System.Data.Common;
using System.Data;
using LxAnnotate.Hub.Data;
using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Processing.Pipeline;
using LxAnnotate.Hub.Processing.Sensitive;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.Hub.Processing.Worker;

/// <summary>
/// The processing queue on <c>upload_jobs</c>. A claim takes the oldest job that is <c>pending</c>, a
/// <c>retrying</c> job whose <c>next_retry_at</c> is due, or a <c>processing</c> job whose lease expired
/// (its worker died), sets the lease and raises <c>processing_lease_token</c> by one. Every later write
/// (heartbeat, release, result) carries that token in its <c>WHERE</c> clause: after another worker
/// re-claimed the job, the old worker's writes match no row and are dropped (fencing).
/// On PostgreSQL the claim is one <c>UPDATE … FOR UPDATE SKIP LOCKED</c>, so workers on several hosts
/// never wait for or take the same row; on SQLite it is a read and a compare-and-set update on the
/// token (correct with several workers, but SQLite deployments run one).
/// </summary>
internal sealed class JobQueue(LxaDbContext db, ISensitiveMetaStore sensitiveStore, TimeProvider time)
{
    private const int SqliteClaimAttempts = 5;

    private const string PostgresClaimSql = """
        UPDATE upload_jobs AS j
        SET status = 'processing',
            processing_lease_owner = @owner,
            processing_lease_expires_at = @expires,
            processing_lease_token = j.processing_lease_token + 1,
            retry_count = j.retry_count + CASE WHEN j.status = 'processing' THEN 1 ELSE 0 END,
            updated_at = @now
        FROM (
            SELECT id FROM upload_jobs
            WHERE status = 'pending'
               OR (status = 'retrying' AND (next_retry_at IS NULL OR next_retry_at <= @now))
               OR (status = 'processing' AND (processing_lease_expires_at IS NULL OR processing_lease_expires_at < @now))
            ORDER BY created_at, id
            LIMIT 1
            FOR UPDATE SKIP LOCKED
        ) AS c
        WHERE j.id = c.id
        RETURNING j.id, j.processing_lease_token
        """;

    /// <summary>Claims one due job for <paramref name="owner"/>, or returns null when none is due.</summary>
    public async Task<JobLease?> ClaimAsync(string owner, TimeSpan leaseDuration, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return db.Database.IsNpgsql()
            ? await ClaimPostgresAsync(owner, now, now + leaseDuration, cancellationToken)
            : await ClaimSqliteAsync(owner, now, now + leaseDuration, cancellationToken);
    }

    /// <summary>Extends the lease; false when the job is no longer this lease's (expired and re-claimed, or finished).</summary>
    public async Task<bool> HeartbeatAsync(JobLease lease, TimeSpan leaseDuration, CancellationToken cancellationToken)
    {
        var expires = time.GetUtcNow() + leaseDuration;
        var rows = await Owned(lease).ExecuteUpdateAsync(s => s.SetProperty(j => j.ProcessingLeaseExpiresAt, expires), cancellationToken);
        return rows == 1;
    }

    /// <summary>
    /// Gives a job back unfinished (graceful stop): <c>processing → retrying</c>, due at once, attempts unchanged.
    /// </summary>
    public async Task<bool> ReleaseAsync(JobLease lease, CancellationToken cancellationToken)
    {
        UploadJobTransitions.EnsureAllowed(UploadJobStatus.Processing, UploadJobStatus.Retrying);
        var now = time.GetUtcNow();
        var rows = await Owned(lease).ExecuteUpdateAsync(s => s
            .SetProperty(j => j.Status, UploadJobStatus.Retrying)
            .SetProperty(j => j.NextRetryAt, now)
            .SetProperty(j => j.ProcessingLeaseOwner, (string?)null)
            .SetProperty(j => j.ProcessingLeaseExpiresAt, (DateTimeOffset?)null)
            .SetProperty(j => j.UpdatedAt, now), cancellationToken);
        return rows == 1;
    }

    /// <summary>
    /// Writes the outcome of a run, fenced by the lease token: false (and nothing written) when the lease
    /// was lost. A retryable failure becomes <c>retrying</c> with the next attempt time, or <c>error</c>
    /// when the attempts are used up. Sensitive values are stored in the same transaction.
    /// </summary>
    public async Task<CompletedJob?> CompleteAsync(JobLease lease, ProcessingOutcome outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(outcome);

        var job = await db.UploadJobs.AsNoTracking()
            .Where(j => j.Id == lease.JobId)
            .Select(j => new { j.RetryCount, j.MaxRetries, j.SourceCenterId, j.ProcessingLeaseToken, j.Status })
            .FirstOrDefaultAsync(cancellationToken);
        if (job is null || job.ProcessingLeaseToken != lease.Token || job.Status != UploadJobStatus.Processing)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var completion = JobCompletion.For(outcome, job.RetryCount, job.MaxRetries, now);
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(
            ct => WriteCompletionAsync(lease, outcome, completion, job.SourceCenterId, now, ct), cancellationToken);
    }

    /// <summary>One transaction: the fenced row update, the sensitive values and the artifact rows.</summary>
    private async Task<CompletedJob?> WriteCompletionAsync(
        JobLease lease, ProcessingOutcome outcome, JobCompletion completion, long sourceCenterId, DateTimeOffset now, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);
        var anonymized = completion.Status == UploadJobStatus.Anonymized;
        var rows = await Owned(lease).ExecuteUpdateAsync(s => s
            .SetProperty(j => j.Status, completion.Status)
            .SetProperty(j => j.ErrorCode, completion.ErrorCode)
            .SetProperty(j => j.ErrorDetail, completion.ErrorDetail)
            .SetProperty(j => j.RetryCount, completion.RetryCount)
            .SetProperty(j => j.NextRetryAt, completion.NextRetryAt)
            .SetProperty(j => j.ProcessingLeaseOwner, (string?)null)
            .SetProperty(j => j.ProcessingLeaseExpiresAt, (DateTimeOffset?)null)
            .SetProperty(j => j.MediaInfo, j => outcome.MediaInfo ?? j.MediaInfo)
            .SetProperty(j => j.ProcessedVideoHash, j => outcome.ProcessedVideoHash ?? j.ProcessedVideoHash)
            .SetProperty(j => j.ProcessedAt, anonymized ? now : null)
            .SetProperty(j => j.UpdatedAt, now), ct);
        if (rows != 1)
        {
            await transaction.RollbackAsync(ct);
            return null;
        }

        long? sensitiveMetaId = null;
        if (anonymized && outcome.SensitiveMeta is { } values)
        {
            sensitiveMetaId = await sensitiveStore.StoreAsync(db, lease.JobId, sourceCenterId, values, now, ct);
        }

        if (anonymized && outcome.Artifacts is { Count: > 0 } artifacts)
        {
            await ReplaceArtifactsAsync(lease.JobId, artifacts, now, ct);
        }

        await transaction.CommitAsync(ct);
        return new CompletedJob(completion.Status, completion.ErrorCode, completion.NextRetryAt, sensitiveMetaId);
    }

    private async Task ReplaceArtifactsAsync(Guid jobId, IReadOnlyList<ProducedArtifact> artifacts, DateTimeOffset now, CancellationToken ct)
    {
        await db.ProcessedArtifacts.Where(a => a.UploadJobId == jobId).ExecuteDeleteAsync(ct);
        db.ProcessedArtifacts.AddRange(artifacts.Select(a => new ProcessedArtifact
        {
            UploadJobId = jobId,
            Kind = a.Kind,
            StorageClass = a.StorageClass,
            RelativePath = a.RelativePath,
            SizeBytes = a.SizeBytes,
            Sha256 = a.Sha256,
            CreatedAt = now,
        }));
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
    }

    private IQueryable<UploadJob> Owned(JobLease lease) =>
        db.UploadJobs.Where(j => j.Id == lease.JobId
            && j.ProcessingLeaseToken == lease.Token
            && j.ProcessingLeaseOwner == lease.Owner
            && j.Status == UploadJobStatus.Processing);

    private async Task<JobLease?> ClaimPostgresAsync(string owner, DateTimeOffset now, DateTimeOffset expires, CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        var opened = connection.State != ConnectionState.Open;
        if (opened)
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
        }

        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = PostgresClaimSql;
            AddParameter(command, "owner", owner);
            AddParameter(command, "expires", expires.ToUniversalTime());
            AddParameter(command, "now", now.ToUniversalTime());
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }

            return new JobLease(reader.GetGuid(0), reader.GetInt64(1), owner);
        }
        finally
        {
            if (opened)
            {
                await db.Database.CloseConnectionAsync();
            }
        }
    }

    private async Task<JobLease?> ClaimSqliteAsync(string owner, DateTimeOffset now, DateTimeOffset expires, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < SqliteClaimAttempts; attempt++)
        {
            var candidate = await db.UploadJobs.AsNoTracking()
                .Where(j => j.Status == UploadJobStatus.Pending
                    || (j.Status == UploadJobStatus.Retrying && (j.NextRetryAt == null || j.NextRetryAt <= now))
                    || (j.Status == UploadJobStatus.Processing && (j.ProcessingLeaseExpiresAt == null || j.ProcessingLeaseExpiresAt < now)))
                .OrderBy(j => j.CreatedAt).ThenBy(j => j.Id)
                .Select(j => new { j.Id, j.ProcessingLeaseToken, j.Status })
                .FirstOrDefaultAsync(cancellationToken);
            if (candidate is null)
            {
                return null;
            }

            var token = candidate.ProcessingLeaseToken + 1;
            var reclaim = candidate.Status == UploadJobStatus.Processing;
            var rows = await db.UploadJobs
                .Where(j => j.Id == candidate.Id && j.ProcessingLeaseToken == candidate.ProcessingLeaseToken && j.Status == candidate.Status)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(j => j.Status, UploadJobStatus.Processing)
                    .SetProperty(j => j.ProcessingLeaseOwner, owner)
                    .SetProperty(j => j.ProcessingLeaseExpiresAt, expires)
                    .SetProperty(j => j.ProcessingLeaseToken, token)
                    .SetProperty(j => j.RetryCount, j => reclaim ? j.RetryCount + 1 : j.RetryCount)
                    .SetProperty(j => j.UpdatedAt, now), cancellationToken);
            if (rows == 1)
            {
                return new JobLease(candidate.Id, token, owner);
            }
        }

        return null;
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
