using System.Text.Json;
using LxAnnotate.Hub.Domain;

namespace LxAnnotate.Hub.OperatorConsole;

/// <summary>
/// <c>GET /console/progress</c>: server-sent events with the progress of the signed-in operator's open transfers,
/// scoped to their centers like the pages. Bounded: one event every <see cref="Interval"/>, at most
/// <see cref="ListLimit"/> transfers each, and the stream ends after <see cref="MaxLifetime"/>; the browser then
/// reconnects, which checks the session again.
/// </summary>
internal static class ConsoleProgressStream
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    public static readonly TimeSpan MaxLifetime = TimeSpan.FromMinutes(5);

    public const int ListLimit = ConsoleTransferQueries.ListLimit;

    /// <summary>How long the browser waits before it reconnects after the stream ended.</summary>
    private const int ReconnectMilliseconds = 5000;

    public static async Task StreamAsync(
        HttpContext context, ConsoleTransferQueries transfers, ConsoleOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(transfers);
        var user = ConsoleOperator.From(context.User, options);
        var response = context.Response;
        response.ContentType = "text/event-stream; charset=utf-8";

        // nginx in front (deploy/nginx) would otherwise hold events back until its buffer fills.
        response.Headers["X-Accel-Buffering"] = "no";
        using var lifetime = new CancellationTokenSource(MaxLifetime, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.Token);
        var token = linked.Token;
        using var timer = new PeriodicTimer(Interval, time);
        var rates = new ProgressRates();
        try
        {
            await response.WriteAsync($"retry: {ReconnectMilliseconds}\n\n", token);
            do
            {
                var open = await transfers.ListAsync(user, TransferState.Open, token);
                var json = JsonSerializer.Serialize(rates.Next(open, time.GetUtcNow()), ConsoleProgressJson.Default.ProgressEvent);
                await response.WriteAsync("event: progress\ndata: " + json + "\n\n", token);
                await response.Body.FlushAsync(token);
            }
            while (await timer.WaitForNextTickAsync(token));
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // The browser went away, or the stream reached its lifetime: both end it quietly.
        }
    }
}
