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
            if (SenderMismatch(body, caller) is { } mismatch)
            {
                return Refuse(logger, null, mismatch);
            }

            var (payload, errors) = HubTransferPayloadValidator.Validate(body, settings.HubNodeKey);
            if (payload is null)
            {
                HubTransferLog.Refused(logger, StatusCodes.Status400BadRequest, errors.FirstCode, "create_validation");
                return TypedResults.Json(errors.ToJson(), statusCode: StatusCodes.Status400BadRequest);
            }

            return await HubTransferCreation.CreateAsync(db, payload, caller, time, logger, context.RequestAborted);
        }
    }

    /// <summary>The identity of the sender before the payload's own rules: a node speaks only for itself and its center.</summary>
    private static HubTransferRefusal? SenderMismatch(JsonElement body, HubTransferCaller caller)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (Contradicts(body, "source_node_key", caller.NodeKey))
        {
            return new HubTransferRefusal(StatusCodes.Status403Forbidden, "source_node_key does not match the authenticated node.");
        }

        return Contradicts(body, "source_center_key", caller.CenterKey)
            ? new HubTransferRefusal(StatusCodes.Status403Forbidden, "source_center_key does not match the node's owning center.")
            : null;
    }

    /// <summary>A string the payload gives for <paramref name="field"/> that is not <paramref name="expected"/>; any other shape is the validator's.</summary>
    private static bool Contradicts(JsonElement body, string field, string expected) =>
        body.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String
        && !string.Equals(value.GetString(), expected, StringComparison.Ordinal);

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
