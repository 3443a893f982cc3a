using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using LxAnnotate.Hub.Tests.Support;

namespace LxAnnotate.Hub.Tests.Metrics;

/// <summary>
/// OTLP tracing: off without <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>; with it, spans carry route templates, never request
/// paths. ASP.NET Core's activities and OpenTelemetry's instrumentation are process-wide, so these tests run alone
/// (<see cref="TracingTestGroup"/>): another test's host starting or stopping its tracer meanwhile changes what
/// this one's listener sees.
/// </summary>
[Collection(TracingTestGroup.Name)]
public sealed class TracingTests
{
    [Fact(Skip = "Flaky in the shared test process: after other hosts ran, the listener sees no ASP.NET Core activity (passes alone: --filter TracingTests). To move into its own process.")]
    public async Task Request_TracingConfigured_SpanNamesTheRouteNotThePath()
    {
        var id = Guid.NewGuid();
        using var spans = new SpanCapture();
        await using var host = await HubTestHost.StandaloneAsync(oidc: false, new Dictionary<string, string?>
        {
            // Nothing listens there: the exporter's failures stay in the background.
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:9",
        });

        using var response = await host.Client.GetAsync(new Uri($"/api/upload/{id}/status/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var span = Assert.Single(spans.Stopped, a => a.GetTagItem("url.path") is "/api/upload/{id}/status/");
        Assert.True(span.Recorded);
        Assert.DoesNotContain(spans.Stopped, a => a.Tags.Any(t => t.Value?.Contains(id.ToString(), StringComparison.Ordinal) == true) || a.DisplayName.Contains(id.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Request_TracingNotConfigured_NoSpanRecorded()
    {
        var id = Guid.NewGuid();
        using var spans = new SpanCapture();
        await using var host = await HubTestHost.StandaloneAsync(oidc: false);

        using var response = await host.Client.GetAsync(new Uri($"/api/upload/{id}/status/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.NotEmpty(spans.Stopped);
        Assert.DoesNotContain(spans.Stopped, a => a.Recorded);
    }

    /// <summary>Every ASP.NET Core request activity of this process, once stopped (after the instrumentation enriched it).</summary>
    private sealed class SpanCapture : IDisposable
    {
        private readonly ActivityListener listener;

        public SpanCapture()
        {
            listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name == "Microsoft.AspNetCore",
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.PropagationData,
                ActivityStopped = a => Stopped.Add(a),
            };
            ActivitySource.AddActivityListener(listener);
        }

        public ConcurrentBag<Activity> Stopped { get; } = [];

        public void Dispose() => listener.Dispose();
    }
}
