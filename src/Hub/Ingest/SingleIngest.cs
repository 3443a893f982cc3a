using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Storage;
using Microsoft.Extensions.Logging;

namespace LxAnnotate.Hub.Ingest;

/// <summary>The ingest of one artifact: its center, its bytes staged in their storage class, its job recorded.</summary>
internal sealed class SingleIngest(
    CenterResolver centers, ContentStager stager, ActiveJobLookup activeJobs, JobRecorder recorder, ILogger audit)
{
    /// <summary>Streams <paramref name="content"/> into staging and records the job; see <see cref="IngestService.IngestAsync"/>.</summary>
    public async Task<IngestResult> IngestAsync(
        IngestRequest request, Stream content, long maxBytes, bool contentInMemory, CancellationToken cancellationToken)
    {
        var center = await centers.ResolveAsync(request, cancellationToken);

        // A retried request with a known idempotency key and declared content costs no bytes on disk; without a
        // declared SHA-256 the bytes are staged first, so a key reused with other content is seen and refused.
        if (request.IdempotencyKey is not null && request.ExpectedSha256 is { } declared && !contentInMemory)
        {
            var previous = await activeJobs.FindAsync(center.Id, request, sha256: null, cancellationToken);
            if (previous is not null)
            {
                if (ActiveJobLookup.KeyHeldByOtherContent(previous, request, declared.ToLowerInvariant(), request.ExpectedSizeBytes ?? previous.SizeBytes))
                {
                    throw AuditLog.KeyConflict(audit, request, previous);
                }

                AuditLog.JobReused(audit, previous, center.CenterKey, request.Boundary, "idempotency_key");
                return new IngestResult(previous, Created: false);
            }
        }

        var classified = request with { StorageClass = stager.DecideStorageClass(request) };
        var staged = await stager.StageAsync(classified, content, maxBytes, cancellationToken);
        return await recorder.RecordAsync(classified, center, staged, cancellationToken);
    }

    /// <summary>Records bytes a boundary already staged; <paramref name="staged"/> is moved into place or deleted, never left behind.</summary>
    public async Task<IngestResult> IngestStagedAsync(IngestRequest request, StagedContent staged, CancellationToken cancellationToken)
    {
        Center center;
        string storageClass;
        try
        {
            center = await centers.ResolveAsync(request, cancellationToken);
            storageClass = stager.DecideStorageClass(request);
            staged = await stager.AdoptAsync(request, staged, storageClass, cancellationToken);
        }
        catch
        {
            ContentStore.DeleteQuietly(staged.Path);
            throw;
        }

        return await recorder.RecordAsync(request with { StorageClass = storageClass }, center, staged, cancellationToken);
    }
}
