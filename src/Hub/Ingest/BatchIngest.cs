using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Storage;
using Microsoft.Extensions.Logging;

namespace LxAnnotate.Hub.Ingest;

/// <summary>
/// The ingest of the small artifacts of one <c>DeliverMany</c> call: one query for their centers, staging in
/// parallel, one query for the jobs they may reuse, and one transaction for all new jobs; see
/// <see cref="IngestService.IngestManyAsync"/>.
/// </summary>
internal sealed partial class BatchIngest(
    CenterResolver centers,
    ContentStager stager,
    ActiveJobLookup activeJobs,
    UploadJobFactory jobs,
    JobInserter inserter,
    JobRecorder recorder,
    ILogger audit,
    ILogger logger)
{
    public async Task<IReadOnlyList<IngestItemOutcome>> IngestAsync(
        IReadOnlyList<IngestItem> items, long maxBytes, int parallelism, CancellationToken cancellationToken)
    {
        var outcomes = new IngestItemOutcome[items.Count];
        var prepared = await PrepareAsync(items, outcomes, cancellationToken);
        var staged = new StagedContent?[items.Count];
        try
        {
            await StageAllAsync(items, prepared, staged, outcomes, maxBytes, parallelism, cancellationToken);
            var ready = Enumerable.Range(0, items.Count)
                .Where(i => outcomes[i].Rejection is null && staged[i] is not null)
                .Select(i => new StagedBatchItem(i, prepared[i]!.Value.Request, prepared[i]!.Value.Center, staged[i]!))
                .ToList();
            if (ready.Count == 0)
            {
                return outcomes;
            }

            var (newItems, oneByOne) = await ReuseOrClaimAsync(ready, outcomes, cancellationToken);
            await InsertNewAsync(newItems, outcomes, oneByOne, cancellationToken);
            foreach (var index in oneByOne)
            {
                outcomes[index] = await RecordOneAsync(prepared[index]!.Value, staged[index]!, cancellationToken);
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

    /// <summary>Validates each item and decides its center and storage class; a refusal becomes the item's outcome.</summary>
    private async Task<(IngestRequest Request, Center Center)?[]> PrepareAsync(
        IReadOnlyList<IngestItem> items, IngestItemOutcome[] outcomes, CancellationToken cancellationToken)
    {
        for (var i = 0; i < items.Count; i++)
        {
            if (IngestMetadataValidator.Validate(items[i].Request) is { } problem)
            {
                outcomes[i] = new IngestItemOutcome(null, AuditLog.Reject(audit, items[i].Request, IngestRejectionReason.InvalidInput, problem));
            }
        }

        var prepared = new (IngestRequest Request, Center Center)?[items.Count];
        var known = await centers.LoadCandidatesAsync(items.Where((_, i) => outcomes[i].Rejection is null).Select(i => i.Request), cancellationToken);
        for (var i = 0; i < items.Count; i++)
        {
            if (outcomes[i].Rejection is not null)
            {
                continue;
            }

            try
            {
                var request = items[i].Request;
                var center = centers.Decide(request, known);
                prepared[i] = (request with { StorageClass = stager.DecideStorageClass(request) }, center);
            }
            catch (IngestRejectedException rejected)
            {
                outcomes[i] = new IngestItemOutcome(null, rejected);
            }
        }

        return prepared;
    }

    /// <summary>Stages and verifies the prepared items, up to <paramref name="parallelism"/> at a time.</summary>
    private async Task StageAllAsync(
        IReadOnlyList<IngestItem> items,
        (IngestRequest Request, Center Center)?[] prepared,
        StagedContent?[] staged,
        IngestItemOutcome[] outcomes,
        long maxBytes,
        int parallelism,
        CancellationToken cancellationToken)
    {
        var toStage = Enumerable.Range(0, items.Count).Where(i => prepared[i] is not null);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(toStage, parallel, async (i, token) =>
        {
            var request = prepared[i]!.Value.Request;
            try
            {
                using var content = new ReadOnlyMemoryStream(items[i].Content);
                staged[i] = await stager.StageAsync(request, content, maxBytes, token);
                stager.Verify(request, staged[i]!);
            }
            catch (IngestRejectedException rejected)
            {
                outcomes[i] = new IngestItemOutcome(null, rejected);
            }
        });
    }

    /// <summary>
    /// Gives each ready item the active job it reuses (or refuses it when that job holds its key with other content); of the others, those whose content, path or key an earlier item
    /// of this call claims are recorded one at a time afterwards (reusing that item's job), the rest are new.
    /// </summary>
    private async Task<(List<StagedBatchItem> NewItems, List<int> OneByOne)> ReuseOrClaimAsync(
        List<StagedBatchItem> ready, IngestItemOutcome[] outcomes, CancellationToken cancellationToken)
    {
        var existing = await activeJobs.FindManyAsync(ready.Select(r => (r.Center.Id, r.Request, r.Staged.Sha256)).ToList(), cancellationToken);
        var newItems = new List<StagedBatchItem>();
        var oneByOne = new List<int>();
        var claims = new BatchClaims();
        foreach (var item in ready)
        {
            var (index, request, center, staged) = item;
            var job = ActiveJobLookup.Pick(existing, center.Id, request, staged.Sha256);
            if (job is not null && ActiveJobLookup.KeyHeldByOtherContent(job, request, staged.Sha256, staged.SizeBytes))
            {
                outcomes[index] = new IngestItemOutcome(null, AuditLog.KeyConflict(audit, request, job));
            }
            else if (job is not null)
            {
                AuditLog.JobReused(audit, job, center.CenterKey, request.Boundary, ActiveJobLookup.MatchedBy(job, staged.Sha256));
                outcomes[index] = new IngestItemOutcome(new IngestResult(job, Created: false), null);
            }
            else if (claims.TryClaim(request, center, staged.Sha256))
            {
                newItems.Add(item);
            }
            else
            {
                oneByOne.Add(index);
            }
        }

        return (newItems, oneByOne);
    }

    /// <summary>
    /// Records the new items in one transaction; when it meets a concurrent ingest of the same content, they join
    /// <paramref name="oneByOne"/> instead, in the order of the call.
    /// </summary>
    private async Task InsertNewAsync(
        List<StagedBatchItem> newItems, IngestItemOutcome[] outcomes, List<int> oneByOne, CancellationToken cancellationToken)
    {
        // Ids ascending in the order of the content index: EF Core writes a batch in key order, so two batches that
        // share content take its index entries in the same order and wait on each other instead of deadlocking.
        newItems.Sort(ContentOrder);
        var ids = jobs.NewIds(newItems.Count);
        var fresh = newItems.Select((n, k) => (Item: n, Job: jobs.Create(n.Request, n.Center, n.Staged, ids[k]))).ToList();
        if (fresh.Count == 0)
        {
            return;
        }

        if (await inserter.TryInsertAsync(fresh.ConvertAll(f => (f.Job, f.Item.Staged)), cancellationToken))
        {
            foreach (var (item, job) in fresh)
            {
                AuditLog.JobCreated(audit, job, item.Center.CenterKey);
                outcomes[item.Index] = new IngestItemOutcome(new IngestResult(job, Created: true), null);
            }
        }
        else
        {
            LogBatchConflict(logger, fresh.Count);
            oneByOne.AddRange(fresh.Select(f => f.Item.Index));
            oneByOne.Sort();
        }
    }

    private async Task<IngestItemOutcome> RecordOneAsync(
        (IngestRequest Request, Center Center) prepared, StagedContent staged, CancellationToken cancellationToken)
    {
        try
        {
            return new IngestItemOutcome(await recorder.RecordAsync(prepared.Request, prepared.Center, staged, cancellationToken), null);
        }
        catch (IngestRejectedException rejected)
        {
            return new IngestItemOutcome(null, rejected);
        }
    }

    private static int ContentOrder(StagedBatchItem x, StagedBatchItem y)
    {
        var order = x.Center.Id.CompareTo(y.Center.Id);
        order = order != 0 ? order : string.CompareOrdinal(x.Request.ContentType, y.Request.ContentType);
        return order != 0 ? order : string.CompareOrdinal(x.Staged.Sha256, y.Staged.Sha256);
    }

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information,
        Message = "A batch of {Count} new jobs met a concurrent ingest of the same content; they are recorded one at a time")]
    private static partial void LogBatchConflict(ILogger logger, int count);
}
