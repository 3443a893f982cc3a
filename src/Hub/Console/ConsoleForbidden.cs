using Microsoft.AspNetCore.Mvc;

namespace LxAnnotate.Hub.OperatorConsole;

/// <summary>The 403 page: signed in, but without the operator role (or outside the operator's centers).</summary>
internal static class ConsoleForbidden
{
    private const string Html = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>Not allowed · LxAnnotate console</title>
        <link rel="stylesheet" href="/console/console.css"></head>
        <body><main><h1>403 · not allowed</h1>
        <p>Your account is signed in but may not do this: the console needs the operator role, and an operator scoped
        to centers sees only those centers.</p>
        <p><a href="/console/signed-out?switch=1">Sign in with another account</a></p></main></body></html>
        """;

    /// <summary>The same page from a handler, e.g. for a change aimed at another center.</summary>
    public static ContentResult Result() => new() { StatusCode = StatusCodes.Status403Forbidden, ContentType = "text/html; charset=utf-8", Content = Html };

    public static Task WriteAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        context.Response.ContentType = "text/html; charset=utf-8";
        return context.Response.WriteAsync(Html, context.RequestAborted);
    }
}
