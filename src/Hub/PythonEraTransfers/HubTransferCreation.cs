using System.Text.Json.Nodes;
using LxAnnotate.Hub.Data;
using LxAnnotate.Hub.Domain;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.Hub.PythonEraTransfers;

/// <summary>
/// A valid create payload becomes a job awaiting its media; the same payload again (also from a concurrent
/// create that won) is answered as a replay, another payload under the same key is a conflict.
/// </summary>
internal static class HubTransferCreation
{
    public static async Task<IResult> CreateAsync(LxaDbContext db, HubTransferPayload payload, HubTransferCaller caller, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        var existing = await db.HubTransferJobs.AsNoTracking().FirstOrDefaultAsync(j => j.TransferKey == payload.TransferKey, cancellationToken);
        if (existing is not null)
        {
            return Replay(logger, existing, payload);
        }

        var job = NewJob(payload, time.GetUtcNow());
        db.HubTransferJobs.Add(job);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (DbErrors.IsUniqueViolation(ex))
        {
            // A concurrent create of the same key won; answer as its replay.
            db.ChangeTracker.Clear();
            var winner = await db.HubTransferJobs.AsNoTracking().FirstAsync(j => j.TransferKey == payload.TransferKey, cancellationToken);
            return Replay(logger, winner, payload);
        }

        HubTransferLog.Created(logger, job.TransferKey, caller.NodeKey, StatusCodes.Status201Created);
        return TypedResults.Json(HubTransferStatusBody.For(job), statusCode: StatusCodes.Status201Created);
    }

    private static HubTransferJob NewJob(HubTransferPayload payload, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        TransferKey = payload.TransferKey,
        SourceNodeKey = payload.SourceNodeKey,
        TargetNodeKey = payload.TargetNodeKey,
        SourceCenterKey = payload.SourceCenterKey,
        ResourceKind = payload.ResourceKind,
        ResourceHash = payload.ResourceHash,
        TransferMode = payload.TransferMode,
        ProcessingPolicy = payload.ProcessingPolicy,
        ProcessingIntent = payload.ProcessingIntent,
        CleanupPolicy = payload.CleanupPolicy,
        PayloadSchemaVersion = payload.PayloadSchemaVersion,
        ProcessedMediaHash = payload.ProcessedMediaHash,
        CanonicalPayload = payload.Canonical,
        ResourceRows = payload.ResourceRows,
        ProcessingSnapshot = payload.ProcessingSnapshot,
        Provenance = payload.Provenance,
        TransferStatus = HubTransferStatus.AwaitingMedia,
        CleanupStatus = "pending",
        CaseResolutionStatus = "pending",
        StatusDetail = "Waiting for the processed media.",
        CreatedAt = now,
        UpdatedAt = now,
    };

    private static JsonHttpResult<JsonObject> Replay(ILogger logger, HubTransferJob existing, HubTransferPayload payload)
    {
        if (!string.Equals(existing.CanonicalPayload, payload.Canonical, StringComparison.Ordinal))
        {
            HubTransferLog.Refused(logger, StatusCodes.Status409Conflict, "transfer_key_conflict", "create");
            return TypedResults.Json(new JsonObject { ["error"] = "transfer_key already exists for a different transfer payload" }, statusCode: StatusCodes.Status409Conflict);
        }

        HubTransferLog.Created(logger, existing.TransferKey, existing.SourceNodeKey, StatusCodes.Status200OK);
        return TypedResults.Json(HubTransferStatusBody.For(existing), statusCode: StatusCodes.Status200OK);
    }
}
