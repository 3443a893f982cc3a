using LxAnnotate.Hub.Authentication;
using LxAnnotate.Hub.Data;
using LxAnnotate.Hub.Ingest;
using LxAnnotate.Hub.Storage.Encryption;
using LxAnnotate.Hub.Upload;
using LxAnnotate.Shared.Configuration;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace LxAnnotate.Hub.ProtectedMedia;

/// <summary>
/// <c>GET /api/media/{job_id}</c>: protected media. The caller is authorized like the upload status endpoint
/// (bearer token, same center, otherwise 404). With <see cref="ProtectedMediaOptions.AccelRedirect"/> the hub
/// answers with an empty body and <c>X-Accel-Redirect</c>, and nginx streams the file (byte ranges
/// included); without it the hub serves the bytes itself with range support (206, <c>Content-Range</c>, 416).
/// Encrypted (LXENC01) artifacts are never handed to nginx: the hub decrypts the requested range itself with
/// the configured master key ring (<see cref="EncryptionSettings"/>).
/// Served on the API listener only (<see cref="ListenerGateMiddleware"/>).
/// </summary>
internal static class MediaApi
{
    public const string AccelRedirectHeader = "X-Accel-Redirect";

    /// <summary>Storage class of application-encrypted (LXENC01) artifacts.</summary>
    public const string EncryptedStorageClass = StorageClasses.Encrypted;

    internal static IEndpointRouteBuilder MapMediaApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/media");
        // Routing also matches "/api/media/{id}/" with this pattern.
        group.MapMethods("/{id}", [HttpMethods.Get, HttpMethods.Head], GetMediaAsync);
        return app;
    }

    private static async Task<IResult> GetMediaAsync(string id, HttpContext context, ProtectedMediaOptions settings, ApiAuthenticationOptions authentication, DataPaths paths, LxaDbContext db, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(MediaLog.Category);
        var caller = await ApiCallerResolver.ResolveAsync(context, authentication);
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

        if (item.StorageClass == EncryptedStorageClass)
        {
            // nginx would stream ciphertext: encrypted artifacts are always decrypted here, chunk by chunk.
            return ServeEncrypted(context, logger, item, file);
        }

        if (item.StorageClass != StorageClasses.Managed)
        {
            return Refuse(logger, StatusCodes.Status500InternalServerError, "storage_class", "this artifact's storage class cannot be served");
        }

        if (settings.AccelRedirect)
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

    /// <summary>
    /// LXENC01: a seekable plaintext view that decrypts only the chunks a range touches, so ranges (206,
    /// <c>Content-Range</c>, 416) work as for plaintext and memory stays at one chunk. The recorded plaintext size
    /// is checked against the file's geometry, so a file cut at a record boundary is refused, not served short.
    /// </summary>
    private static IResult ServeEncrypted(HttpContext context, ILogger logger, MediaItem item, string file)
    {
        if (context.RequestServices.GetService<EncryptionSettings>()?.KeyRing is not { } keyRing)
        {
            MediaLog.EncryptedUnreadable(logger, item.JobId, "no master key configured");
            return Refuse(logger, StatusCodes.Status500InternalServerError, "no_master_key", "encrypted media cannot be served: no master key is configured");
        }

        LxEnc01ReadStream plaintext;
        try
        {
            plaintext = LxEnc01ReadStream.OpenFile(file, keyRing, item.SizeBytes);
        }
        catch (EncryptedStorageException ex)
        {
            MediaLog.EncryptedUnreadable(logger, item.JobId, ex.Message);
            return Refuse(logger, StatusCodes.Status500InternalServerError, "encrypted_unreadable", "encrypted media cannot be read");
        }

        MediaLog.Served(logger, item.JobId, "decrypted");
        return new DecryptedMediaResult(plaintext, item.ContentType, item.JobId, logger);
    }

    private static JsonHttpResult<UploadErrorResponse> Refuse(ILogger logger, int statusCode, string reason, string message)
    {
        MediaLog.Refused(logger, statusCode, reason);
        return TypedResults.Json(new UploadErrorResponse(message), statusCode: statusCode);
    }
}
