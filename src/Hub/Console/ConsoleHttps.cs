using LxAnnotate.Hub.Authentication;

namespace LxAnnotate.Hub.OperatorConsole;

/// <summary>
/// The console is https only (Secure cookies, antiforgery). Behind the TLS-terminating nginx the API listener is plain
/// http while the browser speaks https: a console request from a trusted proxy (<c>LXA_HUB_TRUSTED_PROXIES</c>) that
/// says <c>X-Forwarded-Proto: https</c> is treated as https, so the OIDC redirect URI, the cookies and the antiforgery
/// check see the scheme the browser used (the host is already the public one: the template sends <c>Host $host</c>).
/// Any other plain-http console request is refused with a line that says why.
/// </summary>
internal sealed class ConsoleHttps(RequestDelegate next, NodeCertificateOptions proxies)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (!ConsoleRoutes.IsConsole(context.Request.Path) || context.Request.IsHttps)
        {
            return next(context);
        }

        if (TrustedProxy.ForwardedHttps(context, proxies))
        {
            context.Request.Scheme = Uri.UriSchemeHttps;
            return next(context);
        }

        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        return context.Response.WriteAsync("The console is served over https only: an https API listener, or nginx in front (LXA_HUB_TRUSTED_PROXIES).\n", context.RequestAborted);
    }
}
