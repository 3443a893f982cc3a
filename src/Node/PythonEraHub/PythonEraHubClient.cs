using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LxAnnotate.Node.Hosting;
using LxAnnotate.Node.Sync;

namespace LxAnnotate.Node.PythonEraHub;

/// <summary>
/// HTTPS to a Python-era hub's <c>/api/media/hub/transfers/</c>: the node's client certificate (as the Python
/// sender presents it), the hub verified against <c>LXA_NODE_HUB_CA_FILE</c> with its host name, never a
/// redirect, and the node key and secret headers on every request.
/// </summary>
internal sealed class PythonEraHubClient : IDisposable
{
    private const string Prefix = "api/media/hub/transfers/";
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(60);

    /// <summary>An upload gets 15 minutes (the original sender's timeout) plus one second per MiB, so a large video is not cut off.</summary>
    private static TimeSpan UploadTimeout(long bytes) => TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(bytes / (1024 * 1024));

    private readonly HttpClient http;
    private readonly X509Certificate2? clientCertificate;
    private readonly X509Certificate2? hubCa;

    public PythonEraHubClient(NodeSettings node, PythonEraHubSettings settings)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(settings);
        var handler = new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false };
        if (settings.Enabled)
        {
            clientCertificate = X509Certificate2.CreateFromPemFile(node.CertificateFile!, node.KeyFile);
            hubCa = X509CertificateLoader.LoadCertificateFromFile(node.HubCaFile!);
            handler.SslOptions = HubConnection.HubTlsOptions(hubCa, clientCertificate);
        }

        var baseUrl = node.HubUrl?.ToString() ?? "https://localhost/";
        http = new HttpClient(handler) { BaseAddress = new Uri(baseUrl.TrimEnd('/') + "/" + Prefix), Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.Add("X-Network-Node-Key", settings.NodeKey);
        http.DefaultRequestHeaders.Add("X-Network-Node-Secret", settings.NodeSecret);
    }

    public Task<PythonEraHubResponse> CreateAsync(JsonObject payload, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Post, "")
        {
            Content = new StringContent(payload.ToJsonString(), Encoding.UTF8, "application/json"),
        }, RequestTimeout, cancellationToken);

    public Task<PythonEraHubResponse> StatusAsync(string transferKey, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Get, Uri.EscapeDataString(transferKey) + "/status/"), RequestTimeout, cancellationToken);

    /// <summary>Generation 2.0: multipart <c>media_role=processed</c> and <c>file</c>, as the original sender posts it.</summary>
    public async Task<PythonEraHubResponse> UploadPlaintextAsync(string transferKey, string path, string fileName, string contentType, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent("processed"), "media_role");
        var part = new StreamContent(file, 1024 * 1024);
        part.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        form.Add(part, "file", fileName);
        return await SendAsync(new HttpRequestMessage(HttpMethod.Post, MediaPath(transferKey)) { Content = form }, UploadTimeout(file.Length), cancellationToken);
    }

    /// <summary>Generation 3.0: the ciphertext as a raw body, the envelope metadata in <c>X-Hub-Media-Envelope</c>.</summary>
    public async Task<PythonEraHubResponse> UploadEnvelopeAsync(string transferKey, string ciphertextPath, string envelopeJson, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(ciphertextPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        var body = new StreamContent(file, 1024 * 1024);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        body.Headers.ContentLength = file.Length;
        var request = new HttpRequestMessage(HttpMethod.Post, MediaPath(transferKey)) { Content = body };
        request.Headers.Add("X-Hub-Media-Role", "processed");
        request.Headers.Add("X-Hub-Media-Envelope", envelopeJson);
        return await SendAsync(request, UploadTimeout(file.Length), cancellationToken);
    }

    private static string MediaPath(string transferKey) => Uri.EscapeDataString(transferKey) + "/media/";

    /// <summary>A timeout becomes an <see cref="HttpRequestException"/>, which the sender retries like an unreachable hub.</summary>
    private async Task<PythonEraHubResponse> SendAsync(HttpRequestMessage request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using (request)
        using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            deadline.CancelAfter(timeout);
            try
            {
                using var response = await http.SendAsync(request, deadline.Token);
                var text = await response.Content.ReadAsStringAsync(deadline.Token);
                return new PythonEraHubResponse((int)response.StatusCode, Parse(text));
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw new HttpRequestException(HttpRequestError.Unknown, $"no answer within {timeout.TotalSeconds:F0} s", ex);
            }
        }
    }

    private static JsonElement Parse(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(string.IsNullOrWhiteSpace(text) ? "{}" : text);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            // A proxy's HTML error page: keep its start as the reason.
            return JsonSerializer.SerializeToElement(new Dictionary<string, string> { ["detail"] = text.Length > 200 ? text[..200] : text }, NodeJsonContext.Default.DictionaryStringString);
        }
    }

    public void Dispose()
    {
        http.Dispose();
        clientCertificate?.Dispose();
        hubCa?.Dispose();
    }
}
