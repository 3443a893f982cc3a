using System.Net;
using System.Text;
using LxAnnotate.EndToEnd.Tests.Support;

namespace LxAnnotate.EndToEnd.Tests.Observability;

/// <summary>
/// OTLP tracing of the real <c>lxa-hub serve</c>, in a process of its own (OpenTelemetry's instrumentation is
/// process-wide, so an in-process test host shares it with every other test): the exported spans name the route
/// template, never the request's path with its id.
/// </summary>
public sealed class TracingEndToEndTests
{
    [Fact]
    public async Task Serve_OtlpEndpointConfigured_ExportsTheRouteTemplateNeverThePath()
    {
        using var receiver = new OtlpReceiver();
        await using var hub = await HubProcess.StartStandaloneAnonymousAsync(new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Endpoint.ToString().TrimEnd('/'),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        });
        var id = Guid.NewGuid();

        using (var http = hub.HttpClient())
        {
            using var response = await http.GetAsync(new Uri(hub.ApiUrl, $"/api/upload/{id}/status/"));
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        // The batch exporter sends at its interval or, at the latest, when the hub stops and disposes its tracer.
        Assert.Equal(0, await hub.TerminateAsync(TimeSpan.FromSeconds(60)));

        var exported = receiver.TraceExports.Select(b => Encoding.UTF8.GetString(b)).ToList();
        Assert.NotEmpty(exported);
        // Protobuf keeps strings as UTF-8 bytes: the service name, the route template and no trace of the id.
        Assert.Contains(exported, e => e.Contains("lxa-hub", StringComparison.Ordinal) && e.Contains("/api/upload/{id}/status/", StringComparison.Ordinal));
        Assert.DoesNotContain(exported, e => e.Contains(id.ToString(), StringComparison.Ordinal) || e.Contains(id.ToString("N"), StringComparison.Ordinal));
    }
}
