using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using LxAnnotate.Hub.Tests.Support;

namespace LxAnnotate.Hub.Tests.Metrics;

/// <summary>
/// OTLP tracing is off without <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>. ASP.NET Core's activities are process-wide, so this
/// runs alone (<see cref="TracingTestGroup"/>). The configured case runs the real binary in a process of its own
/// (EndToEnd <c>TracingEndToEndTests</c>): OpenTelemetry's instrumentation, once started by one in-process host,
/// changes what every other host's listener sees.
/// </summary>
[Collection(TracingTestGroup.Name)]
public sealed class TracingTests
{
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
