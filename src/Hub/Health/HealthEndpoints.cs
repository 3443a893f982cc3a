using LxAnnotate.Hub.Coordination;

namespace LxAnnotate.Hub.Health;

internal static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => TypedResults.Ok(new { status = "alive" }));
        app.MapGet("/readyz", async (ReadinessProbe probe, ReplicaIdentity replica, CancellationToken cancellationToken) =>
        {
            var checks = await probe.RunAsync(cancellationToken);
            var ready = checks.Values.All(c => c.Ok);
            var body = new
            {
                status = ready ? "ready" : "not_ready",
                replica = replica.Id,
                checks = checks.ToDictionary(c => c.Key, c => new { ok = c.Value.Ok, detail = c.Value.Detail }),
            };
            return Results.Json(body, statusCode: ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
        return app;
    }
}
