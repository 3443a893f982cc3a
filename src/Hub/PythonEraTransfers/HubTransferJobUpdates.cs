using LxAnnotate.Hub.Data;
using LxAnnotate.Hub.Domain;
using LxAnnotate.Shared.Envelope;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.Hub.PythonEraTransfers;

/// <summary>
/// The status changes of a transfer job while its media arrives: the claim one upload holds, a note of why an
/// attempt stopped, and the final <c>applied</c>. The writes after a refusal ignore the request's cancellation,
/// so the job never keeps a claim or a stale detail because the sender hung up.
/// </summary>
internal static class HubTransferJobUpdates
{
    /// <summary>An upload that has held the job this long without finishing is taken to have died with its process.</summary>
    private static readonly TimeSpan StaleUploadAfter = TimeSpan.FromHours(6);

    /// <summary>Claims the job for this upload; false when another upload holds it (and is not stale).</summary>
    public static async Task<bool> ClaimAsync(LxaDbContext db, Guid id, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var stale = now - StaleUploadAfter;
        var claimed = await db.HubTransferJobs
            .Where(j => j.Id == id
                && (j.TransferStatus == HubTransferStatus.AwaitingMedia || j.TransferStatus == HubTransferStatus.Failed)
                && (j.MediaUploadStartedAt == null || j.MediaUploadStartedAt < stale))
            .ExecuteUpdateAsync(s => s
                .SetProperty(j => j.MediaUploadStartedAt, now)
                .SetProperty(j => j.StatusDetail, "Media upload in progress.")
                .SetProperty(j => j.UpdatedAt, now), cancellationToken);
        return claimed == 1;
    }

    public static Task<int> ReleaseAsync(LxaDbContext db, Guid id) =>
        db.HubTransferJobs.Where(j => j.Id == id).ExecuteUpdateAsync(s => s.SetProperty(j => j.MediaUploadStartedAt, (DateTimeOffset?)null), CancellationToken.None);

    /// <summary>Records <paramref name="detail"/> (cut to the column's 1024 characters) and, when given, a new status.</summary>
    public static async Task MarkAsync(LxaDbContext db, Guid id, HubTransferStatus? status, string detail, TimeProvider time)
    {
        var now = time.GetUtcNow();
        var text = detail.Length > 1024 ? detail[..1024] : detail;
        if (status is { } value)
        {
            await db.HubTransferJobs.Where(j => j.Id == id).ExecuteUpdateAsync(s => s
                .SetProperty(j => j.TransferStatus, value)
                .SetProperty(j => j.StatusDetail, text)
                .SetProperty(j => j.UpdatedAt, now), CancellationToken.None);
        }
        else
        {
            await db.HubTransferJobs.Where(j => j.Id == id).ExecuteUpdateAsync(s => s
                .SetProperty(j => j.StatusDetail, text)
                .SetProperty(j => j.UpdatedAt, now), CancellationToken.None);
        }
    }

    /// <summary>The job as stored now, for the status body of a refusal.</summary>
    public static Task<HubTransferJob> ReloadAsync(LxaDbContext db, Guid id) =>
        db.HubTransferJobs.AsNoTracking().FirstAsync(j => j.Id == id, CancellationToken.None);

    /// <summary>The media is stored: the job becomes <c>applied</c> (with its receipt for an envelope) and gives up its claim.</summary>
    public static async Task<HubTransferJob> ApplyAsync(
        LxaDbContext db, Guid id, Guid uploadJobId, MediaEnvelope? envelope, string? fingerprint, string receivedSha, TimeProvider time, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var job = await db.HubTransferJobs.FirstAsync(j => j.Id == id, cancellationToken);
        var now = time.GetUtcNow();
        job.TransferStatus = HubTransferStatus.Applied;
        job.ProcessingDecision = HubTransferMedia.ProcessingDecision;
        job.StatusDetail = "Processed media received and stored; processing is skipped, the node's state is preserved.";
        job.CaseResolutionStatus = "resolved";
        job.UploadJobId = uploadJobId;
        job.EnvelopeFingerprint = fingerprint;
        job.ReceivedMediaSha256 = receivedSha;
        job.MediaUploadStartedAt = null;
        job.UpdatedAt = now;
        job.AppliedAt = now;
        if (envelope is not null)
        {
            job.EnvelopeReceipt = HubTransferReceipt.For(job, envelope, fingerprint!, receivedSha).ToJsonString();
        }

        await db.SaveChangesAsync(CancellationToken.None);
        return job;
    }
}
