using System.Diagnostics;
using LxAnnotate.Hub.Configuration;
using Microsoft.AspNetCore.Routing;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace LxAnnotate.Hub.Metrics;

/// <summary>
/// OpenTelemetry tracing with the OTLP exporter, only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (or its traces-only
/// variant) is set; the exporter reads the other standard <c>OTEL_*</c> variables itself. Spans carry route templates,
/// never request paths or queries, so no file name or id a person typed reaches the collector.
/// </summary>
internal static class HubTracing
{
    public const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string TracesEndpointVariable = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT";

    /// <summary>Spans of the hub's own work (the worker's stages).</summary>
    public static readonly ActivitySource Source = new("LxAnnotate.Hub");

    public static bool Enabled(HubEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return environment.Read(EndpointVariable) is not null || environment.Read(TracesEndpointVariable) is not null;
    }

    /// <summary>Tracing for <c>lxa-hub serve</c>: incoming HTTP and gRPC calls and the hub's own spans.</summary>
    public static void AddServeTracing(this IServiceCollection services, HubEnvironment environment)
    {
        if (!Enabled(environment))
        {
            return;
        }

        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("lxa-hub"))
            .WithTracing(tracing => tracing
                .AddSource(Source.Name)
                .AddAspNetCoreInstrumentation(o =>
                {
                    o.Filter = context => !context.Request.Path.StartsWithSegments(MetricsEndpoint.Path, StringComparison.Ordinal);
                    o.EnrichWithHttpResponse = (activity, response) => activity.SetTag("url.path", RouteOf(response.HttpContext));
                })
                .AddOtlpExporter());
    }

    /// <summary>Tracing for <c>lxa-hub worker</c>: its stage spans only.</summary>
    public static void AddWorkerTracing(this IServiceCollection services, HubEnvironment environment)
    {
        if (Enabled(environment))
        {
            services.AddOpenTelemetry()
                .ConfigureResource(r => r.AddService("lxa-hub-worker"))
                .WithTracing(tracing => tracing.AddSource(Source.Name).AddOtlpExporter());
        }
    }

    private static string RouteOf(HttpContext context) =>
        context.GetEndpoint() is RouteEndpoint route ? route.RoutePattern.RawText ?? "(route)" : context.Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) == true ? context.Request.Path.Value ?? "" : "(unrouted)";
}
