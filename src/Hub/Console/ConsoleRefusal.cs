using Microsoft.AspNetCore.Mvc;

namespace LxAnnotate.Hub.OperatorConsole;

/// <summary>
/// The console's refusal pages: 403 (signed in without the operator role, or a center outside the operator's scope) and
/// 404 (a node or job that does not exist or belongs to another center: the two look the same).
/// </summary>
internal static class ConsoleRefusal
{
    private const string ForbiddenHtml = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>Not allowed · LxAnnotate console</title>
        <link rel="stylesheet" href="/console/console.css"></head>
        <body><main><h1>403 · not allowed</h1>
        <p>Your account is signed in but may not do this: the console needs the operator role, and an operator scoped
        to centers sees only those centers.</p>
        <p><a href="/console/signed-out?switch=1">Sign in with another account</a></p></main></body></html>
        """;

    private const string NotFoundHtml = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>Not found · LxAnnotate console</title>
        <link rel="stylesheet" href="/console/console.css"></head>
        <body><main><h1>404 · not found</h1><p>There is nothing of that name among your centers.</p>
        <p><a href="/console/">Overview</a></p></main></body></html>
        """;

    /// <summary>The same page from a handler, e.g. for a change aimed at another center.</summary>
    public static ContentResult Forbidden() => new() { StatusCode = StatusCodes.Status403Forbidden, ContentType = "text/html; charset=utf-8", Content = ForbiddenHtml };

    public static ContentResult NotFound() => new() { StatusCode = StatusCodes.Status404NotFound, ContentType = "text/html; charset=utf-8", Content = NotFoundHtml };

    public static Task WriteAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        context.Response.ContentType = "text/html; charset=utf-8";
        return context.Response.WriteAsync(ForbiddenHtml, context.RequestAborted);
    }
}
