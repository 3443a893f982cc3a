using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LxAnnotate.Hub.Health;

/// <summary>The readiness checks as a health check, so gRPC <c>grpc.health.v1.Health</c> reports the same as <c>/readyz</c>.</summary>
internal sealed class ReadinessHealthCheck(ReadinessProbe probe) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var checks = await probe.RunAsync(cancellationToken);
        var failed = checks.Where(c => !c.Value.Ok).Select(c => $"{c.Key}: {c.Value.Detail}").ToList();
        return failed.Count == 0 ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy(string.Join("; ", failed));
    }
}
