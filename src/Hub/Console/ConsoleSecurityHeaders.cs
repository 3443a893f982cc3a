namespace LxAnnotate.Hub.OperatorConsole;

/// <summary>
/// The headers a clinic's security review asks for, on every console response (pages, refusals, the OIDC callbacks).
/// The only script is the hub's own live-progress file and the only connection it opens is the hub's progress stream,
/// so script and connect sources are 'self' and nothing else (no inline script, no eval); forms may go only to the
/// hub and, for sign-out, to the provider (browsers apply form-action to the redirect that follows a form).
/// </summary>
internal sealed class ConsoleSecurityHeaders(RequestDelegate next, ConsoleOptions options)
{
    private readonly string policy =
        "default-src 'none'; style-src 'self'; img-src 'self'; script-src 'self'; connect-src 'self'; base-uri 'none'; frame-ancestors 'none'; "
        + $"form-action 'self' {options.Issuer?.GetLeftPart(UriPartial.Authority)}";

    public Task InvokeAsync(HttpContext context)
    {
        if (ConsoleRoutes.IsConsole(context.Request.Path))
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = policy;
                headers.XFrameOptions = "DENY";
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
                headers["Cross-Origin-Opener-Policy"] = "same-origin";
                headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";

                // Pages list node keys and states; none of it belongs in a shared cache or the browser's history cache.
                if (!context.Request.Path.Equals(ConsoleRoutes.Stylesheet, StringComparison.Ordinal)
                    && !context.Request.Path.Equals(ConsoleRoutes.LiveScript, StringComparison.Ordinal))
                {
                    headers.CacheControl = "no-store";
                }

                return Task.CompletedTask;
            });
        }

        return next(context);
    }
}
