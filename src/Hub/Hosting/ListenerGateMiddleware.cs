namespace LxAnnotate.Hub.Hosting;

/// <summary>
/// The transfer listener and the local socket serve gRPC only; REST and health stay on the API
/// listener, so a node certificate never doubles as a REST credential and vice versa.
/// </summary>
internal sealed class ListenerGateMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var listener = context.GetListener();
        var isGrpc = context.Request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true;
        if (listener is ListenerKind.Transfer or ListenerKind.LocalSocket && !isGrpc)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        return next(context);
    }
}
