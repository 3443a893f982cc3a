using LxAnnotate.Hub.Authentication;
using LxAnnotate.Hub.Hosting;
using LxAnnotate.Hub.Upload;
using LxAnnotate.Shared.Configuration;
using LxAnnotate.Shared.Data;
using LxAnnotate.Shared.Ingest;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace LxAnnotate.Hub.Media;

/// <summary>
/// <c>GET /api/media/{job_id}</c>: protected media. The caller is authorized like the upload status endpoint
/// (bearer token, same center, otherwise 404). With <see cref="HubSettings.MediaAccelRedirect"/> the hub
/// answers with an empty body and <c>X-Accel-Redirect</c>, and nginx streams the file (byte ranges
/// included); without it the hub serves the bytes itself with range support (206, <c>Content-Range</c>, 416).
/// Served on the API listener only (<see cref="ListenerGateMiddleware"/>).
/// </summary>
internal static class MediaApi
{
    public const string AccelRedirectHeader = "X-Accel-Redirect";

    internal static IEndpointRouteBuilder MapMediaApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/media");
        // Routing also matches "/api/media/{id}/" with this pattern.
        group.MapMethods("/{id}", [HttpMethods.Get, HttpMethods.Head], GetMediaAsync);
        return app;
    }

    private static async Task<IResult> GetMediaAsync(string id, HttpContext context, HubSettings settings, DataPaths paths, LxaDbContext db, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(MediaLog.Category);
        var caller = await ApiCallerResolver.ResolveAsync(context, settings);
        if (caller.Identity is null)
        {
            context.Response.Headers[HeaderNames.WWWAuthenticate] = caller.InvalidToken ? "Bearer error=\"invalid_token\"" : "Bearer";
            return Refuse(logger, StatusCodes.Status401Unauthorized, caller.InvalidToken ? "invalid_token" : "unauthenticated", caller.Refusal!);
        }

        // A malformed id is answered like an unknown one, and a job of another center like a missing one.
        var item = Guid.TryParse(id, out var jobId) ? await MediaLookup.FindAsync(db, jobId, caller.Identity, context.RequestAborted) : null;
        if (item is null)
        {
            return Refuse(logger, StatusCodes.Status404NotFound, "not_found", "media not found");
        }

        var file = ProtectedMediaPath.Resolve(paths, item.StoragePath);
        if (file is null || !File.Exists(file))
        {
            MediaLog.FileMissing(logger, item.JobId);
            return Refuse(logger, StatusCodes.Status404NotFound, "file_missing", "media not found");
        }

        // Patient media: no shared cache may keep a copy, and browsers must not second-guess the type.
        context.Response.Headers.CacheControl = "private, no-store";
        context.Response.Headers.XContentTypeOptions = "nosniff";

        if (item.StorageClass != StorageClasses.Managed)
        {
            return Refuse(logger, StatusCodes.Status500InternalServerError, "storage_class", "this artifact's storage class cannot be served");
        }

        if (settings.MediaAccelRedirect)
        {
            // nginx keeps the upstream Content-Type on the internal redirect and answers the client's Range itself.
            context.Response.Headers[AccelRedirectHeader] = ProtectedMediaPath.AccelUri(paths, file);
            context.Response.ContentType = item.ContentType;
            MediaLog.Served(logger, item.JobId, "accel_redirect");
            return TypedResults.Empty;
        }

        MediaLog.Served(logger, item.JobId, "direct");
        return TypedResults.PhysicalFile(file, item.ContentType, enableRangeProcessing: true);
    }

    private static JsonHttpResult<UploadErrorResponse> Refuse(ILogger logger, int statusCode, string reason, string message)
    {
        MediaLog.Refused(logger, statusCode, reason);
        return TypedResults.Json(new UploadErrorResponse(message), statusCode: statusCode);
    }
}
