using System.Globalization;

namespace LxAnnotate.Hub.Metrics;

/// <summary>
/// Counts <c>POST /api/upload/</c> answers by status code. The upload API answers 503 only when the database is
/// unreachable and 507 only when storage is full, so those two also count as database and storage errors.
/// </summary>
internal sealed class UploadMetricsMiddleware(RequestDelegate next, HubMetrics metrics)
{
    private const string Component = "rest_upload";

    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!HttpMethods.IsPost(context.Request.Method) || !context.Request.Path.StartsWithSegments("/api/upload", StringComparison.Ordinal))
        {
            await next(context);
            return;
        }

        try
        {
            await next(context);
        }
        catch
        {
            Count(StatusCodes.Status500InternalServerError);
            throw;
        }

        Count(context.Response.StatusCode);
    }

    private void Count(int status)
    {
        metrics.RestUploads.WithLabels(status.ToString(CultureInfo.InvariantCulture)).Inc();
        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            metrics.DatabaseErrors.WithLabels(Component).Inc();
        }
        else if (status == StatusCodes.Status507InsufficientStorage)
        {
            metrics.StorageErrors.WithLabels(Component).Inc();
        }
    }
}
