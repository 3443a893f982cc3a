using LxAnnotate.Hub.Authentication;
using LxAnnotate.Hub.Data;
using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Hosting;
using LxAnnotate.Hub.Ingest;
using LxAnnotate.Hub.Storage.Encryption;
using LxAnnotate.Hub.Storage;
using LxAnnotate.Shared.Sniffing;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace LxAnnotate.Hub.Upload;

/// <summary>
/// The REST boundary, compatible with the original lx-annotate <c>/api/upload/</c>: it authenticates the
/// caller, streams the form, sniffs the content type and hands the staged file to one ingest-core call.
/// The center policy (which center, fallback, scope) is the core's; this class only maps its answers.
/// Served on the API listener only (<see cref="ListenerGateMiddleware"/>).
/// </summary>
internal static class UploadApi
{
    public const string Entrypoint = "api";

    public const string DefaultSourceSystem = "api";

    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>DRF's text for a request without credentials.</summary>
    public const string NotAuthenticatedDetail = "Authentication credentials were not provided.";

    /// <summary>The original's <c>message</c> for a new and for a reused job alike; the status code tells them apart.</summary>
    public const string AcceptedMessage = "Upload job created successfully";

    /// <summary>The original's text for an unknown job.</summary>
    public const string NotFoundDetail = "Upload job not found";

    internal static IEndpointRouteBuilder MapUploadApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/upload");
        group.MapPost("/", UploadAsync).AddEndpointFilter(OversizedRequestBody.DrainIfTooLargeFilter);
        group.MapGet("/{id}/status/", GetStatusAsync);
        return app;
    }

    public static string StatusUrl(HttpRequest request, Guid id) => $"{request.PathBase}/api/upload/{id}/status/";

    private static async Task<IResult> UploadAsync(
        HttpContext context, UploadOptions upload, ApiAuthenticationOptions authentication, IngestService ingest, ContentStore store, EncryptedArtifactStore encryptedStore, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(UploadLog.Category);
        var cancellationToken = context.RequestAborted;
        var bodyLimit = LimitBody(context, upload.MaxBytes);
        var caller = await ApiCallerResolver.ResolveAsync(context, authentication);
        if (caller.Identity is null)
        {
            return Unauthorized(context, logger, caller.Refusal!, caller.InvalidToken);
        }

        if (context.Request.ContentLength > bodyLimit)
        {
            return TooLarge(logger, UploadFormReader.TooLargeMessage(upload.MaxBytes));
        }

        var idempotencyHeader = context.Request.Headers[IdempotencyKeyHeader];
        if (idempotencyHeader.Count > 1)
        {
            return Refuse(logger, StatusCodes.Status400BadRequest, "duplicate_header", "The Idempotency-Key header is given more than once.");
        }

        UploadForm form;
        try
        {
            form = await UploadFormReader.ReadAsync(context.Request, store, encryptedStore, upload.MaxBytes, cancellationToken);
        }
        catch (UploadFormException ex)
        {
            return ex.Reason == UploadFormReader.TooLargeReason ? TooLarge(logger, ex.Message) : Refuse(logger, ex.StatusCode, ex.Reason, ex.Message);
        }
        catch (Exception ex) when (Outage(logger, ex) is { } outage)
        {
            return outage;
        }

        try
        {
            return await IngestAsync(context, logger, ingest, caller.Identity, form, NonEmpty(idempotencyHeader.ToString()), cancellationToken);
        }
        catch (IngestRejectedException ex)
        {
            return ex.Reason switch
            {
                IngestRejectionReason.Unauthenticated => Unauthorized(context, logger, ex.Message, invalidToken: false),
                IngestRejectionReason.TooLarge => TooLarge(logger, ex.Message),
                _ => Refuse(logger, StatusFor(ex.Reason), ex.Reason.ToString(), ex.Message),
            };
        }
        catch (Exception ex) when (Outage(logger, ex) is { } outage)
        {
            return outage;
        }
        finally
        {
            // A no-op once the core moved the file into place; otherwise nothing staged outlives the request.
            ContentStore.DeleteQuietly(form.File.Path);
        }
    }

    /// <summary>Sets this request's body limit: the file limit plus room for the multipart framing.</summary>
    private static long LimitBody(HttpContext context, long maxFileBytes)
    {
        // Kestrel's global limit is off for 50 GiB transfers; this endpoint bounds its own body.
        var bodyLimit = maxFileBytes > long.MaxValue - UploadFormReader.MultipartOverheadBytes
            ? long.MaxValue
            : maxFileBytes + UploadFormReader.MultipartOverheadBytes;
        return OversizedRequestBody.Limit(context, bodyLimit);
    }

    /// <summary>Sniffs the staged file and hands it to the ingest core: 201 for a new job, 200 for a repeated upload.</summary>
    /// <param name="headerIdempotencyKey">The Idempotency-Key header, which wins over the form field.</param>
    private static async Task<IResult> IngestAsync(HttpContext context, ILogger logger, IngestService ingest, CallerIdentity caller,
        UploadForm form, string? headerIdempotencyKey, CancellationToken cancellationToken)
    {
        if (form.File.SizeBytes == 0)
        {
            // Refused before sniffing: an empty file is not of an unsupported type, it is no file at all.
            return Refuse(logger, StatusCodes.Status400BadRequest, "empty_file", "Uploaded file is empty. Please select a valid file.");
        }

        var contentType = form.SniffedContentType;
        if (contentType is null)
        {
            var decision = await ContentTypeResolver.ResolveAsync(form.File.Path, form.FileName, cancellationToken);
            contentType = decision.ContentType;
            if (contentType is null)
            {
                // The original's words, so that clients matching on them keep working; a type libmagic could not
                // name is its "Could not determine file type".
                return Refuse(logger, StatusCodes.Status400BadRequest, "unsupported_type", decision.Described is { } described
                    ? $"Unsupported file type: {described}. Allowed types: report, MP4, AVI, MOV, WMV."
                    : "Could not determine file type: Could not determine file type");
            }
        }

        var request = new IngestRequest
        {
            Boundary = IngestMode.Api,
            Entrypoint = Entrypoint,
            Caller = caller,

            // center_name is accepted for compatibility but never used: a name is not an identifier.
            DeclaredCenterKey = form.Field(UploadFormReader.CenterKeyField),
            SourceSystem = form.Field(UploadFormReader.SourceSystemField) ?? DefaultSourceSystem,
            IdempotencyKey = headerIdempotencyKey ?? form.Field(UploadFormReader.IdempotencyKeyField),
            ContentType = contentType,
            OriginalFilename = form.FileName,
        };

        var result = await ingest.IngestStagedAsync(request, form.File, cancellationToken);
        var status = result.Created ? StatusCodes.Status201Created : StatusCodes.Status200OK;
        UploadLog.Accepted(logger, status, result.Job.Id, result.Created, contentType);
        var statusUrl = StatusUrl(context.Request, result.Job.Id);
        var body = new UploadAcceptedResponse(
            result.Job.Id,
            statusUrl,
            AcceptedMessage);
        return result.Created ? TypedResults.Created(statusUrl, body) : TypedResults.Ok(body);
    }

    private static async Task<IResult> GetStatusAsync(string id, HttpContext context, ApiAuthenticationOptions authentication, LxaDbContext db, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(UploadLog.Category);
        var caller = await ApiCallerResolver.ResolveAsync(context, authentication);
        if (caller.Identity is null)
        {
            return Unauthorized(context, logger, caller.Refusal!, caller.InvalidToken);
        }

        // A malformed id is answered like an unknown one: the route reveals nothing either way.
        var status = Guid.TryParse(id, out var jobId) ? await UploadStatusLookup.FindAsync(db, jobId, caller.Identity, context.RequestAborted) : null;
        UploadLog.StatusRead(logger, jobId, status is not null);
        return status is null
            ? TypedResults.NotFound(new UploadDetailResponse(NotFoundDetail))
            : TypedResults.Ok(status);
    }

    /// <summary>
    /// HTTP status for a refusal of the ingest core, as the original API answers it: a missing or refused identity
    /// is 403 (its first authenticator is Django's session, which has no challenge, so DRF never answers 401) and
    /// a file over the limit is 400. <see cref="IngestRejectionReason.BoundaryNotAvailable"/> is 404: a role that
    /// does not serve the upload API answers as if the route did not exist.
    /// </summary>
    internal static int StatusFor(IngestRejectionReason reason) => reason switch
    {
        IngestRejectionReason.Unauthenticated => StatusCodes.Status403Forbidden,
        IngestRejectionReason.CenterForbidden => StatusCodes.Status403Forbidden,
        IngestRejectionReason.BoundaryNotAvailable => StatusCodes.Status404NotFound,
        IngestRejectionReason.TooLarge => StatusCodes.Status400BadRequest,
        IngestRejectionReason.IdempotencyConflict => StatusCodes.Status409Conflict,
        IngestRejectionReason.CenterMissing
            or IngestRejectionReason.CenterUnknown
            or IngestRejectionReason.InvalidInput
            or IngestRejectionReason.IntegrityMismatch => StatusCodes.Status400BadRequest,
        _ => StatusCodes.Status400BadRequest,
    };

    /// <summary>
    /// 403 with DRF's <c>{"detail": …}</c>, as the original answers a request without a valid identity. The bearer
    /// challenge is still sent: a token client learns what to present, and a browser client ignores it.
    /// </summary>
    private static JsonHttpResult<UploadDetailResponse> Unauthorized(HttpContext context, ILogger logger, string message, bool invalidToken)
    {
        context.Response.Headers[HeaderNames.WWWAuthenticate] = invalidToken ? "Bearer error=\"invalid_token\"" : "Bearer";
        UploadLog.Refused(logger, StatusCodes.Status403Forbidden, invalidToken ? "invalid_token" : "unauthenticated");
        return TypedResults.Json(new UploadDetailResponse(invalidToken ? message : NotAuthenticatedDetail), statusCode: StatusCodes.Status403Forbidden);
    }

    /// <summary>A body over the limit: 400 as in the original, sent before the rest of the body is drained.</summary>
    private static IResult TooLarge(ILogger logger, string message) =>
        OversizedRequestBody.Drain(Refuse(logger, StatusCodes.Status400BadRequest, UploadFormReader.TooLargeReason, message));

    /// <summary>
    /// The hub's own outage, not the request's fault: 507 when the storage is full, 503 when the database cannot be
    /// reached, each naming the outage (the client keeps the file and retries); null for anything else.
    /// </summary>
    private static IResult? Outage(ILogger logger, Exception ex)
    {
        if (StorageFull.Is(ex))
        {
            UploadLog.Outage(logger, "No space left on device under STORAGE_DIR", StatusCodes.Status507InsufficientStorage);
            return OversizedRequestBody.Drain(TypedResults.Json(new UploadErrorResponse(StorageFull.Message), statusCode: StatusCodes.Status507InsufficientStorage));
        }

        if (DbErrors.IsUnavailable(ex))
        {
            UploadLog.Outage(logger, "database unavailable", StatusCodes.Status503ServiceUnavailable);
            return OversizedRequestBody.Drain(TypedResults.Json(new UploadErrorResponse(DbErrors.UnavailableMessage), statusCode: StatusCodes.Status503ServiceUnavailable));
        }

        return null;
    }

    private static JsonHttpResult<UploadErrorResponse> Refuse(ILogger logger, int statusCode, string reason, string message)
    {
        UploadLog.Refused(logger, statusCode, reason);
        return TypedResults.Json(new UploadErrorResponse(message), statusCode: statusCode);
    }

    private static string? NonEmpty(string value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
