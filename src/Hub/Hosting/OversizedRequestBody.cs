using System.Buffers;
using Microsoft.AspNetCore.Http.Features;

namespace LxAnnotate.Hub.Hosting;

/// <summary>
/// Request bodies an endpoint refuses as too large (413) while the client is still sending them. Closing the
/// connection with unread body makes the kernel reset it, and a client still writing (HttpClient, or any client
/// on a slower link) then sees a reset instead of the answer. So the 413 is sent with <c>Connection: close</c> and
/// flushed, and the rest of the body is read and thrown away, at most <see cref="DrainMaxBytes"/> and for at most
/// <see cref="DrainMaxTime"/>; a client still sending after that has the connection closed under it.
/// </summary>
internal static partial class OversizedRequestBody
{
    public const string LogCategory = "LxAnnotate.Hub.Hosting";

    /// <summary>Most bytes read and discarded after a 413, beyond the endpoint's own limit.</summary>
    public const long DrainMaxBytes = 64L * 1024 * 1024;

    /// <summary>Longest time spent draining after a 413.</summary>
    public static readonly TimeSpan DrainMaxTime = TimeSpan.FromSeconds(10);

    private const int BufferBytes = 64 * 1024;

    /// <summary>
    /// Limits the request body to <paramref name="bodyLimit"/> for the endpoint (<see cref="LimitedRequestBodyStream"/>);
    /// Kestrel's limit becomes <see cref="DrainMaxBytes"/> higher, room for the drain after a refusal.
    /// </summary>
    public static long Limit(HttpContext context, long bodyLimit)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = bodyLimit > long.MaxValue - DrainMaxBytes ? null : bodyLimit + DrainMaxBytes;
        }

        context.Request.Body = new LimitedRequestBodyStream(context.Request.Body, bodyLimit);
        return bodyLimit;
    }

    /// <summary>
    /// <paramref name="refusal"/> as a <see cref="DrainingResult"/>, whatever its status: for an endpoint that answers
    /// a body over its limit with another code than 413 (the upload API answers 400, as the original does).
    /// </summary>
    public static IResult Drain(IResult refusal) => refusal as DrainingResult ?? new DrainingResult(refusal);

    /// <summary>A 413 becomes a <see cref="DrainingResult"/>; any other result stays as it is.</summary>
    public static IResult DrainIfTooLarge(IResult result) =>
        result is IStatusCodeHttpResult { StatusCode: StatusCodes.Status413PayloadTooLarge } and not DrainingResult ? new DrainingResult(result) : result;

    /// <summary>An endpoint filter applying <see cref="DrainIfTooLarge"/> to the endpoint's result.</summary>
    public static async ValueTask<object?> DrainIfTooLargeFilter(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(next);
        var result = await next(context);
        return result is IResult answer ? DrainIfTooLarge(answer) : result;
    }

    /// <summary>Reads and discards the rest of the body within the bounds; past them the connection is closed.</summary>
    internal static async Task DrainAsync(HttpContext context)
    {
        var limited = context.Request.Body as LimitedRequestBodyStream;
        if (limited?.BytesRead == 0 && context.Request.Headers.Expect.ToString().Equals("100-continue", StringComparison.OrdinalIgnoreCase))
        {
            // The body was never asked for: a client waiting for 100 Continue has the 413 instead and sends nothing.
            return;
        }

        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(LogCategory);
        var body = limited?.Inner ?? context.Request.Body;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        timeout.CancelAfter(DrainMaxTime);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferBytes);
        long drained = 0;
        try
        {
            int read;
            while (drained <= DrainMaxBytes && (read = await body.ReadAsync(buffer.AsMemory(0, BufferBytes), timeout.Token)) > 0)
            {
                drained += read;
            }

            if (drained <= DrainMaxBytes)
            {
                Drained(logger, drained);
                return;
            }
        }
        catch (BadHttpRequestException)
        {
            // Kestrel's limit (the endpoint's plus DrainMaxBytes): it closes the connection once this request ends.
            Cut(logger, drained, "bytes");
            return;
        }
        catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
        {
            Cut(logger, drained, "time");
            context.Abort();
            return;
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException)
        {
            // The client went away: nothing is left to answer.
            return;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        Cut(logger, drained, "bytes");
        context.Abort();
    }

    [LoggerMessage(EventId = 1101, Level = LogLevel.Debug, Message = "refused request body drained bytes={Bytes}")]
    private static partial void Drained(ILogger logger, long bytes);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Information, Message = "refused request body still arriving after bytes={Bytes}; connection closed at the {Bound} bound")]
    private static partial void Cut(ILogger logger, long bytes, string bound);
}
