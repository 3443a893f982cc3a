using Grpc.AspNetCore.Server;
using LxAnnotate.Hub.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LxAnnotate.Hub.Metrics;

public static class MetricsRegistration
{
    /// <summary>
    /// The hub's instruments, the Transfer call counting, <c>/metrics</c> access and OTLP tracing (when configured).
    /// Call after <c>AddGrpc</c>, so the counting interceptor sits inside the error translation.
    /// </summary>
    internal static MetricsOptions AddHubMetrics(this IServiceCollection services, HubEnvironment environment)
    {
        var options = MetricsOptionsResolver.Resolve(environment);
        services.AddResolvedOptions<MetricsOptions, MetricsOptionsValidator>(options);
        services.AddSingleton<HubMetrics>();
        services.AddScoped<DatabaseGauges>();
        if (options.Enabled)
        {
            services.Configure<GrpcServiceOptions>(o => o.Interceptors.Add<TransferMetricsInterceptor>());
        }

        services.AddServeTracing(environment);
        return options;
    }

    /// <summary>Counting of REST uploads (unless <c>LXA_HUB_METRICS=off</c>); early in the pipeline so it sees every final status code.</summary>
    internal static IApplicationBuilder UseHubMetrics(this IApplicationBuilder app) =>
        app.ApplicationServices.GetRequiredService<MetricsOptions>().Enabled ? app.UseMiddleware<UploadMetricsMiddleware>() : app;

    /// <summary><c>GET /metrics</c> on the API listener (the other listeners serve gRPC only), unless <c>LXA_HUB_METRICS=off</c>.</summary>
    internal static IEndpointRouteBuilder MapHubMetrics(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        if (endpoints.ServiceProvider.GetRequiredService<MetricsOptions>().Enabled)
        {
            endpoints.MapGet(MetricsEndpoint.Path, MetricsEndpoint.HandleAsync);
        }

        return endpoints;
    }

    /// <summary>The worker's instruments, its loopback metrics listener (when configured) and OTLP tracing (when configured).</summary>
    internal static IServiceCollection AddWorkerMetrics(this IServiceCollection services, HubEnvironment environment)
    {
        services.AddResolvedOptions<MetricsOptions, MetricsOptionsValidator>(MetricsOptionsResolver.Resolve(environment));
        services.TryAddSingleton<WorkerMetrics>();
        services.AddHostedService<WorkerMetricsServer>();
        services.AddWorkerTracing(environment);
        return services;
    }
}
