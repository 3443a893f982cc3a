using System.Text.Json.Nodes;
using System.Text.Json;
using LxAnnotate.Hub.Authentication;
using LxAnnotate.Hub.Data;
using LxAnnotate.Hub.Domain;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.Hub.PythonEraTransfers;

/// <summary>
/// The Python-era hub transfer endpoints, unchanged on the wire so a center can switch its hub before its
/// nodes: <c>POST /api/media/hub/transfers/</c> (create), <c>GET …/{transfer_key}/status/</c> and
/// <c>POST …/{transfer_key}/media/</c> (<see cref="HubTransferMedia"/>). Served only by a central hub with
/// <c>ENDOREG_ENABLE_HUB_TRANSFERS=true</c>; otherwise every route answers 404 as if it did not exist.
/// </summary>
internal static class HubTransferApi
{
    public const string NotFoundDetail = "Transfer job not found";

    private const long MaxCreateBodyBytes = 16L * 1024 * 1024;

    internal static IEndpointRouteBuilder MapHubTransferApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/media/hub/transfers");
        group.MapPost("/", CreateAsync);
        group.MapGet("/{transferKey}/status/", StatusAsync);
        group.MapPost("/{transferKey}/media/", HubTransferMedia.AttachAsync);
        return app;
    }

    public static IResult NotFound() => TypedResults.Json(new JsonObject { ["detail"] = NotFoundDetail }, statusCode: StatusCodes.Status404NotFound);

    public static IResult Refuse(ILogger logger, HubTransferJob? job, HubTransferRefusal refusal)
    {
        HubTransferLog.Refused(logger, refusal.StatusCode, refusal.Code, refusal.Phase);
        return TypedResults.Json(HubTransferStatusBody.WithRefusal(job, refusal), statusCode: refusal.StatusCode);
    }

    private static async Task<IResult> CreateAsync(HttpContext context, HubTransferOptions settings, NodeCertificateOptions nodeCertificates, LxaDbContext db, TimeProvider time, ILoggerFactory loggers)
    {
        if (!settings.Enabled)
        {
            return NotFound();
        }

        var logger = loggers.CreateLogger(HubTransferLog.Category);
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = MaxCreateBodyBytes;
        }

        HubTransferCaller caller;
        try
        {
            caller = await HubTransferAuthenticator.AuthenticateAsync(context, nodeCertificates, db);
        }
        catch (HubTransferRefusal refusal)
        {
            return Refuse(logger, null, refusal);
        }

        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(context.Request.Body, new JsonDocumentOptions { MaxDepth = 64 }, context.RequestAborted);
        }
        catch (Exception ex) when (ex is JsonException or BadHttpRequestException)
        {
            return Refuse(logger, null, new HubTransferRefusal(StatusCodes.Status400BadRequest, "The request body is not valid JSON.", "invalid_json", "create_validation", ["non_field_errors"]));
        }

        using (document)
        {
            var body = document.RootElement;

            // The identity of the sender before the payload's own rules: a node speaks only for itself and its center.
            if (body.ValueKind == JsonValueKind.Object)
            {
                if (body.TryGetProperty("source_node_key", out var node) && node.ValueKind == JsonValueKind.String
                    && !string.Equals(node.GetString(), caller.NodeKey, StringComparison.Ordinal))
                {
                    return Refuse(logger, null, new HubTransferRefusal(StatusCodes.Status403Forbidden, "source_node_key does not match the authenticated node."));
                }

                if (body.TryGetProperty("source_center_key", out var center) && center.ValueKind == JsonValueKind.String
                    && !string.Equals(center.GetString(), caller.CenterKey, StringComparison.Ordinal))
                {
                    return Refuse(logger, null, new HubTransferRefusal(StatusCodes.Status403Forbidden, "source_center_key does not match the node's owning center."));
                }
            }

            var (payload, errors) = HubTransferPayloadValidator.Validate(body, settings.HubNodeKey);
            if (payload is null)
            {
                HubTransferLog.Refused(logger, StatusCodes.Status400BadRequest, errors.FirstCode, "create_validation");
                return TypedResults.Json(errors.ToJson(), statusCode: StatusCodes.Status400BadRequest);
            }

            var existing = await db.HubTransferJobs.AsNoTracking().FirstOrDefaultAsync(j => j.TransferKey == payload.TransferKey, context.RequestAborted);
            if (existing is not null)
            {
                return Replay(logger, existing, payload);
            }

            var now = time.GetUtcNow();
            var job = new HubTransferJob
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
            db.HubTransferJobs.Add(job);
            try
            {
                await db.SaveChangesAsync(context.RequestAborted);
            }
            catch (DbUpdateException ex) when (DbErrors.IsUniqueViolation(ex))
            {
                // A concurrent create of the same key won; answer as its replay.
                db.ChangeTracker.Clear();
                var winner = await db.HubTransferJobs.AsNoTracking().FirstAsync(j => j.TransferKey == payload.TransferKey, context.RequestAborted);
                return Replay(logger, winner, payload);
            }

            HubTransferLog.Created(logger, job.TransferKey, caller.NodeKey, StatusCodes.Status201Created);
            return TypedResults.Json(HubTransferStatusBody.For(job), statusCode: StatusCodes.Status201Created);
        }
    }

    private static Microsoft.AspNetCore.Http.HttpResults.JsonHttpResult<JsonObject> Replay(ILogger logger, HubTransferJob existing, HubTransferPayload payload)
    {
        if (!string.Equals(existing.CanonicalPayload, payload.Canonical, StringComparison.Ordinal))
        {
            HubTransferLog.Refused(logger, StatusCodes.Status409Conflict, "transfer_key_conflict", "create");
            return TypedResults.Json(new JsonObject { ["error"] = "transfer_key already exists for a different transfer payload" }, statusCode: StatusCodes.Status409Conflict);
        }

        HubTransferLog.Created(logger, existing.TransferKey, existing.SourceNodeKey, StatusCodes.Status200OK);
        return TypedResults.Json(HubTransferStatusBody.For(existing), statusCode: StatusCodes.Status200OK);
    }

    private static async Task<IResult> StatusAsync(string transferKey, HttpContext context, HubTransferOptions settings, NodeCertificateOptions nodeCertificates, LxaDbContext db, ILoggerFactory loggers)
    {
        if (!settings.Enabled)
        {
            return NotFound();
        }

        var logger = loggers.CreateLogger(HubTransferLog.Category);
        HubTransferCaller caller;
        try
        {
            caller = await HubTransferAuthenticator.AuthenticateAsync(context, nodeCertificates, db);
        }
        catch (HubTransferRefusal refusal)
        {
            return Refuse(logger, null, refusal);
        }

        var job = await FindOwnAsync(db, transferKey, caller, context.RequestAborted);
        return job is null ? NotFound() : TypedResults.Json(HubTransferStatusBody.For(job));
    }

    /// <summary>The job, if it is this node's; another node's job is answered like a missing one.</summary>
    public static async Task<HubTransferJob?> FindOwnAsync(LxaDbContext db, string transferKey, HubTransferCaller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(caller);
        var job = await db.HubTransferJobs.AsNoTracking().FirstOrDefaultAsync(j => j.TransferKey == transferKey, cancellationToken);
        return job is not null
            && string.Equals(job.SourceNodeKey, caller.NodeKey, StringComparison.Ordinal)
            && string.Equals(job.SourceCenterKey, caller.CenterKey, StringComparison.Ordinal)
            ? job
            : null;
    }
}
