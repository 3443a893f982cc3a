using LxAnnotate.Hub.Storage.Encryption;
using LxAnnotate.Hub.Upload;

namespace LxAnnotate.Hub.ProtectedMedia;

/// <summary>
/// Serves the plaintext view of an LXENC01 file with ASP.NET's range processing (206, <c>Content-Range</c>, 416)
/// and turns a chunk that fails authentication into a refusal: a 500 while nothing was sent, otherwise an aborted
/// connection, so a client never takes a cut-short body for the whole range.
/// </summary>
internal sealed class DecryptedMediaResult(LxEnc01ReadStream plaintext, string contentType, Guid jobId, ILogger logger) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        try
        {
            await TypedResults.Stream(plaintext, contentType, enableRangeProcessing: true).ExecuteAsync(httpContext);
        }
        catch (EncryptedStorageException ex)
        {
            MediaLog.EncryptedUnreadable(logger, jobId, ex.Message);
            if (httpContext.Response.HasStarted)
            {
                httpContext.Abort();
                return;
            }

            httpContext.Response.Clear();
            MediaLog.Refused(logger, StatusCodes.Status500InternalServerError, "encrypted_unreadable");
            await TypedResults.Json(new UploadErrorResponse("encrypted media cannot be read"), statusCode: StatusCodes.Status500InternalServerError).ExecuteAsync(httpContext);
        }
        finally
        {
            await plaintext.DisposeAsync();
        }
    }
}
