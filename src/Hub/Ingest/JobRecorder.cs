using LxAnnotate.Hub.Data;
using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Storage;
using Microsoft.Extensions.Logging;

namespace LxAnnotate.Hub.Ingest;

/// <summary>
/// Records the job of one artifact's verified, staged bytes: reuses the active job it matches, or inserts a new
/// one; when a concurrent ingest of the same content wins the insert, its job is reused on the next pass.
/// </summary>
internal sealed class JobRecorder(
    ActiveJobLookup activeJobs, UploadJobFactory jobs, JobInserter inserter, ContentStager stager, ILogger audit)
{
    private const int MaxCommitAttempts = 3;

    /// <summary>
    /// Takes ownership of <paramref name="staged"/>: it is moved into place or deleted, never left behind, except a
    /// file <see cref="StagedContent.KeptOnOutage"/> when the database was unavailable.
    /// </summary>
    public async Task<IngestResult> RecordAsync(IngestRequest request, Center center, StagedContent staged, CancellationToken cancellationToken)
    {
        var keep = false;
        try
        {
            stager.Verify(request, staged);
            for (var attempt = 1; ; attempt++)
            {
                var existing = await activeJobs.FindAsync(center.Id, request, staged.Sha256, cancellationToken);
                if (existing is not null && ActiveJobLookup.KeyHeldByOtherContent(existing, request, staged.Sha256, staged.SizeBytes))
                {
                    throw AuditLog.KeyConflict(audit, request, existing);
                }

                if (existing is not null)
                {
                    AuditLog.JobReused(audit, existing, center.CenterKey, request.Boundary, ActiveJobLookup.MatchedBy(existing, staged.Sha256));
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
        catch (Exception ex) when (staged.KeptOnOutage && DbErrors.IsUnavailable(ex))
        {
            keep = true;
            throw;
        }
        finally
        {
            // No-op once the file was moved into place; otherwise nothing staged is left behind.
            if (!keep)
            {
                ContentStore.DeleteQuietly(staged.Path);
            }
        }
    }

    /// <summary>The new job, or null when a concurrent ingest of the same content refused it.</summary>
    private async Task<UploadJob?> TryInsertAsync(IngestRequest request, Center center, StagedContent staged, CancellationToken cancellationToken)
    {
        var job = jobs.Create(request, center, staged);
        return await inserter.TryInsertAsync([(job, staged)], cancellationToken) ? job : null;
    }
}
