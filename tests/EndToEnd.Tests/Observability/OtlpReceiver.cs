using System.Collections.Concurrent;
using System.Net;
using LxAnnotate.TestSupport;

namespace LxAnnotate.EndToEnd.Tests.Observability;

/// <summary>
/// A stand-in OTLP/HTTP collector on loopback: keeps the body of every <c>POST /v1/traces</c> and answers with an empty
/// <c>ExportTraceServiceResponse</c> (an empty protobuf message is zero bytes).
/// </summary>
internal sealed class OtlpReceiver : IDisposable
{
    private readonly HttpListener listener = new();
    private readonly Task loop;

    public OtlpReceiver()
    {
        Endpoint = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        listener.Prefixes.Add(Endpoint.ToString());
        listener.Start();
        loop = Task.Run(ServeAsync);
    }

    /// <summary>The value for <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>; the exporter appends <c>/v1/traces</c>.</summary>
    public Uri Endpoint { get; }

    /// <summary>Bodies of the trace exports received, in protobuf.</summary>
    public ConcurrentQueue<byte[]> TraceExports { get; } = new();

    public void Dispose()
    {
        listener.Stop();
        listener.Close();
        _ = loop.Exception;
    }

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            if (context.Request.HttpMethod == "POST" && context.Request.Url?.AbsolutePath == "/v1/traces")
            {
                TraceExports.Enqueue(body.ToArray());
            }

            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/x-protobuf";
            context.Response.Close();
        }
    }
}
