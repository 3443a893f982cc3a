using LxAnnotate.Hub.Data;
using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Metrics;
using LxAnnotate.Hub.Processing.Pipeline;
using LxAnnotate.Hub.Storage.Encryption;
using LxAnnotate.Shared.Configuration;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.Hub.Processing.Worker;

/// <summary>
/// The loop of <c>lxa-hub worker</c>: claim a job, run <see cref="JobPipeline"/> while a heartbeat renews
/// the lease, write the outcome fenced by the lease token, repeat; sleep <see cref="WorkerSettings.PollInterval"/>
/// when nothing is due. An exception from a stage (a tool crash included) ends that job's attempt as a
/// retryable <c>processing_failed</c>; the loop goes on. On stop (SIGTERM) no new job is claimed and the
/// current one is given back (<c>retrying</c>, due at once) so another worker takes it without waiting for the lease.
/// </summary>
internal sealed class ProcessingWorker(
    IServiceScopeFactory scopes,
    WorkerSettings settings,
    DataPaths paths,
    WorkerMetrics metrics,
    ILogger<ProcessingWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        WorkerLog.Started(logger, settings.Owner, settings.LeaseDuration.TotalSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            bool worked;
            try
            {
                worked = await RunOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is DbUpdateException or System.Data.Common.DbException or InvalidOperationException or TimeoutException
                || DbErrors.IsUnavailable(ex) || ex is OperationCanceledException)
            {
                // The database is away (restart, network, failover to a standby): wait and try again; the lease keeps
                // the job safe. A timeout of our own (not a stop) lands here too: the loop must outlive the outage.
                WorkerLog.QueueFailed(logger, ex.GetType().Name);
                metrics.DatabaseErrors.Inc();
                worked = false;
            }

            if (!worked)
            {
                try
                {
                    await Task.Delay(settings.PollInterval, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }

        WorkerLog.Stopped(logger, settings.Owner);
    }

    /// <summary>Claims and processes at most one job; false when none was due.</summary>
    internal async Task<bool> RunOnceAsync(CancellationToken stoppingToken)
    {
        var claimed = await ClaimAsync(stoppingToken);
        if (claimed is null)
        {
            return false;
        }

        // A job whose worker died again and again (re-claims count as attempts) stops here instead of looping.
        if (claimed.RetryCount >= claimed.MaxRetries)
        {
            await FinishAsync(claimed.Lease, new ProcessingOutcome(UploadJobStatus.Error, UploadJobErrorCode.ProcessingFailed,
                "processing was interrupted on every attempt (the worker stopped or was killed before it finished)"));
            return true;
        }

        await RunLeasedAsync(claimed, stoppingToken);
        return true;
    }

    private async Task<ClaimedJob?> ClaimAsync(CancellationToken stoppingToken)
    {
        using var stage = metrics.Stage("claim");
        await using var scope = scopes.CreateAsyncScope();
        var queue = scope.ServiceProvider.GetRequiredService<JobQueue>();
        var lease = await queue.ClaimAsync(settings.Owner, settings.LeaseDuration, stoppingToken);
        if (lease is null)
        {
            return null;
        }

        WorkerLog.Claimed(logger, lease.JobId, lease.Token);
        var db = scope.ServiceProvider.GetRequiredService<LxaDbContext>();
        var row = await db.UploadJobs.AsNoTracking().Include(j => j.SourceCenter).FirstAsync(j => j.Id == lease.JobId, CancellationToken.None);
        var job = new ProcessingJob(row.Id, row.ContentType, Path.Join(paths.StorageDir, row.StoragePath), row.SourceCenterId,
            row.SourceCenter!.CenterKey, row.SourceCenter.Name, row.ProcessingProvenance);
        return new ClaimedJob(lease, job, row.StoragePath, row.StorageEncoding, row.SizeBytes, row.RetryCount, row.MaxRetries);
    }

    /// <summary>Runs the pipeline while a heartbeat renews the lease; writes the outcome, or gives the job back on stop.</summary>
    private async Task RunLeasedAsync(ClaimedJob claimed, CancellationToken stoppingToken)
    {
        var lease = claimed.Lease;
        using var leaseLost = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var heartbeat = HeartbeatAsync(lease, leaseLost);
        ProcessingOutcome outcome;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            outcome = await RunPipelineAsync(scope.ServiceProvider, claimed, leaseLost.Token);
        }
        catch (OperationCanceledException) when (leaseLost.IsCancellationRequested)
        {
            await leaseLost.CancelAsync();
            await heartbeat;
            if (stoppingToken.IsCancellationRequested)
            {
                await ReleaseAsync(lease);
            }
            else
            {
                WorkerLog.LeaseLost(logger, lease.JobId);
            }

            return;
        }
        catch (Exception ex)
        {
            WorkerLog.Crashed(logger, lease.JobId, ex.GetType().Name);
            outcome = new ProcessingOutcome(UploadJobStatus.Error, UploadJobErrorCode.ProcessingFailed,
                "processing failed unexpectedly (" + ex.GetType().Name + ")", Retryable: true);
        }

        await leaseLost.CancelAsync();
        await heartbeat;
        await FinishAsync(lease, outcome);
    }

    /// <summary>Runs the stages on a plaintext working copy of the stored upload (decrypted when it is LXENC01).</summary>
    private async Task<ProcessingOutcome> RunPipelineAsync(IServiceProvider services, ClaimedJob claimed, CancellationToken cancellationToken)
    {
        using var stage = metrics.Stage("pipeline", claimed.Job.ContentType);
        WorkingCopy copy;
        try
        {
            copy = await WorkingCopy.OpenAsync(paths, claimed.StoragePath, claimed.StorageClass, claimed.SizeBytes, claimed.Job.Id,
                services.GetRequiredService<EncryptedArtifactStore>(), cancellationToken);
        }
        catch (EncryptedStorageException ex)
        {
            // The stored ciphertext does not authenticate, or this worker has no key: retrying cannot help.
            return new ProcessingOutcome(UploadJobStatus.Error, UploadJobErrorCode.MediaIntegrityFailed,
                "the stored encrypted upload could not be decrypted: " + ex.Message);
        }

        await using (copy)
        {
            return await services.GetRequiredService<JobPipeline>().RunAsync(claimed.Job with { StoredFile = copy.Path }, cancellationToken);
        }
    }

    private async Task FinishAsync(JobLease lease, ProcessingOutcome outcome)
    {
        // The result is written even while stopping: it is quick and the work is done.
        using var stage = metrics.Stage("complete");
        var completed = await CompleteWhileReachableAsync(lease, outcome);
        if (completed is null)
        {
            WorkerLog.LeaseLost(logger, lease.JobId);
            return;
        }

        WorkerLog.Finished(logger, lease.JobId, completed.Status.ToWire(), completed.ErrorCode?.ToWire());
        metrics.Finished(completed.Status.ToWire(), completed.ErrorCode?.ToWire());
    }

    /// <summary>
    /// Writes the outcome, trying again while the database is unavailable (a restart, a failover to a standby) for up
    /// to one lease: the write is fenced by the lease token, so a late or repeated attempt changes nothing once another
    /// worker holds the job, and a result that was worth minutes of work is not thrown away for a pause of seconds.
    /// </summary>
    private async Task<CompletedJob?> CompleteWhileReachableAsync(JobLease lease, ProcessingOutcome outcome)
    {
        var giveUpAt = DateTime.UtcNow + settings.LeaseDuration;
        var pause = TimeSpan.FromMilliseconds(250);
        while (true)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                await using var scope = scopes.CreateAsyncScope();
                return await scope.ServiceProvider.GetRequiredService<JobQueue>().CompleteAsync(lease, outcome, timeout.Token);
            }
            catch (Exception ex) when (DbErrors.IsUnavailable(ex) && DateTime.UtcNow + pause < giveUpAt)
            {
                WorkerLog.QueueFailed(logger, ex.GetType().Name);
                metrics.DatabaseErrors.Inc();
                await Task.Delay(pause, CancellationToken.None);
                pause = OutagePause.After(pause);
            }
        }
    }

    private async Task ReleaseAsync(JobLease lease)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await using var scope = scopes.CreateAsyncScope();
        if (await scope.ServiceProvider.GetRequiredService<JobQueue>().ReleaseAsync(lease, timeout.Token))
        {
            WorkerLog.Released(logger, lease.JobId);
        }
    }

    /// <summary>Renews the lease until <paramref name="leaseLost"/> is cancelled; cancels it when the lease is gone.</summary>
    private async Task HeartbeatAsync(JobLease lease, CancellationTokenSource leaseLost)
    {
        using var timer = new PeriodicTimer(settings.HeartbeatInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(leaseLost.Token))
            {
                bool held;
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    held = await scope.ServiceProvider.GetRequiredService<JobQueue>().HeartbeatAsync(lease, settings.LeaseDuration, leaseLost.Token);
                }
                catch (Exception ex) when (ex is DbUpdateException or System.Data.Common.DbException or TimeoutException || DbErrors.IsUnavailable(ex))
                {
                    // One failed renewal is not a lost lease; the next tick tries again well before it expires. The
                    // provider's execution strategy hands a lost connection over wrapped in InvalidOperationException.
                    WorkerLog.QueueFailed(logger, ex.GetType().Name);
                    continue;
                }

                if (!held)
                {
                    await leaseLost.CancelAsync();
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped: the job finished, was released, or the worker is shutting down.
        }
    }
}
