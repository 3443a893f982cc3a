namespace LxAnnotate.Hub.Hosting;

/// <summary>
/// A refusal of a request whose body may still be arriving (too large): on HTTP/1.x it is sent with
/// <c>Connection: close</c> and flushed, and then the rest of the body is drained within the bounds of
/// <see cref="OversizedRequestBody"/>, so a client that is still writing gets to read the answer.
/// </summary>
internal sealed class DrainingResult(IResult refusal) : IResult, IStatusCodeHttpResult
{
    public int? StatusCode => (refusal as IStatusCodeHttpResult)?.StatusCode;

    public async Task ExecuteAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);

        // HTTP/2 ends the stream alone (RST_STREAM after the response); the connection and its other streams go on.
        var http1 = HttpProtocol.IsHttp11(context.Request.Protocol) || HttpProtocol.IsHttp10(context.Request.Protocol);
        if (http1)
        {
            context.Response.Headers.Connection = "close";
        }

        await refusal.ExecuteAsync(context);
        if (http1)
        {
            await context.Response.CompleteAsync();
            await OversizedRequestBody.DrainAsync(context);
        }
    }
}
