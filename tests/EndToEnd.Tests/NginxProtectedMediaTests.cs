using System.Net.Http.Headers;
using System.Net.Security;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography;
using Grpc.Net.Client;
using LxAnnotate.EndToEnd.Tests.Support;
using LxAnnotate.Shared.Protos.V1;
using LxAnnotate.TestSupport;
using ProtoTransfer = LxAnnotate.Shared.Protos.V1.Transfer;

namespace LxAnnotate.EndToEnd.Tests;

/// <summary>
/// Debian's nginx with the rendered <c>deploy/nginx-lx-annotate.conf</c> in front of the real <c>lxa-hub</c>
/// (central_hub, proxy mode): protected media through <c>X-Accel-Redirect</c>, and node transfers through the
/// client-certificate-verifying server.
/// </summary>
public sealed class NginxProtectedMediaTests(NginxHubFixture fixture) : IClassFixture<NginxHubFixture>, IDisposable
{
    private static readonly TimeSpan Timeout = NginxHubFixture.Timeout;

    // The same bytes for every test of the class: uploading again returns the same job (dedup).
    private static readonly byte[] Media = Mp4Content(256 * 1024);

    private readonly HttpClient http = LongerTimeout(fixture.Hub.HttpClient());

    private HubProcess Hub => fixture.Hub;

    public void Dispose() => http.Dispose();

    [Fact]
    public async Task Media_AuthorizedRangeThroughNginx_206WithTheBytesNginxServed()
    {
        var jobId = await UploadThroughNginxAsync();
        var token = Token("alice", "center-a");

        using var ranged = await GetAsync(Nginx($"/api/media/{jobId}"), token, range: (1000, 1999));
        var body = await ranged.Content.ReadAsByteArrayAsync().WaitAsync(Timeout);

        Assert.True(ranged.StatusCode == HttpStatusCode.PartialContent, $"{ranged.StatusCode}\n{Hub.Output[^Math.Min(6000, Hub.Output.Length)..]}\n{fixture.Nginx.ErrorLog}");
        Assert.Equal(Media.AsSpan(1000, 1000).ToArray(), body);
        Assert.Equal($"bytes 1000-1999/{Media.Length}", ranged.Content.Headers.ContentRange!.ToString());
        Assert.Equal("video/mp4", ranged.Content.Headers.ContentType!.MediaType);
        Assert.False(ranged.Headers.Contains("X-Accel-Redirect"));

        // The same request straight to the hub: no bytes, only the handoff, so the bytes above came from nginx.
        using var direct = await GetAsync(new Uri(Hub.ApiUrl, $"/api/media/{jobId}"), token, range: (1000, 1999));
        Assert.Equal(HttpStatusCode.OK, direct.StatusCode);
        Assert.Empty(await direct.Content.ReadAsByteArrayAsync().WaitAsync(Timeout));
        var accel = Assert.Single(direct.Headers.GetValues("X-Accel-Redirect"));
        Assert.StartsWith("/protected_media/storage/centers/center-a/", accel, StringComparison.Ordinal);
        Assert.Equal("video/mp4", direct.Content.Headers.ContentType!.MediaType);

        using var whole = await GetAsync(Nginx($"/api/media/{jobId}"), token);
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal(Media, await whole.Content.ReadAsByteArrayAsync().WaitAsync(Timeout));
        Assert.Contains("bytes", whole.Headers.AcceptRanges);
    }

    [Fact]
    public async Task Media_OtherCenterOrNoTokenThroughNginx_404Or401WithoutBytes()
    {
        var jobId = await UploadThroughNginxAsync();

        using var otherCenter = await GetAsync(Nginx($"/api/media/{jobId}"), Token("bob", "center-b"), range: (0, 99));
        using var anonymous = await GetAsync(Nginx($"/api/media/{jobId}"), token: null, range: (0, 99));

        Assert.Equal(HttpStatusCode.NotFound, otherCenter.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        await AssertNoMediaBytesAsync(otherCenter);
        await AssertNoMediaBytesAsync(anonymous);
    }

    [Fact]
    public async Task ProtectedMedia_DirectRequestFromOutside_404()
    {
        var jobId = await UploadThroughNginxAsync();
        var accel = await AccelPathAsync(jobId);

        using var response = await GetAsync(Nginx(accel), Token("alice", "center-a"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        await AssertNoMediaBytesAsync(response);
    }

    [Fact]
    public async Task Media_ClientSendsItsOwnAccelRedirect_GainsNothing()
    {
        var jobId = await UploadThroughNginxAsync();
        var accel = await AccelPathAsync(jobId);

        using var health = await GetAsync(Nginx("/healthz"), token: null, accelRedirect: accel);
        using var foreign = await GetAsync(Nginx($"/api/media/{jobId}"), Token("bob", "center-b"), accelRedirect: accel);
        using var missing = await GetAsync(Nginx($"/api/media/{Guid.NewGuid()}"), Token("alice", "center-a"), accelRedirect: accel);

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Contains("alive", await health.Content.ReadAsStringAsync().WaitAsync(Timeout), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        await AssertNoMediaBytesAsync(health);
        await AssertNoMediaBytesAsync(foreign);
        await AssertNoMediaBytesAsync(missing);
    }

    [Fact]
    public async Task Static_FileUnderStaticRoot_ServedByNginx()
    {
        using var response = await GetAsync(Nginx("/static/hello.txt"), token: null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("static file\n", await response.Content.ReadAsStringAsync().WaitAsync(Timeout));
    }

    [Fact]
    public async Task Transfer_NodeCertificateThroughNginxGrpcServer_HubKnowsTheNode()
    {
        var jobId = await UploadThroughNginxAsync();
        var client = TransferClient(fixture.NodeCertificate, out var channel);
        using (channel)
        {
            // The hub answers "already stored" with the job only when it mapped the forwarded certificate to
            // site-a (center-a): the attestation and the certificate passed through nginx.
            var reply = await client.OfferAsync(
                new OfferRequest { Sha256 = Convert.ToHexStringLower(SHA256.HashData(Media)), Size = Media.Length, ContentType = "video/mp4", SourceSystem = "nginx-test" },
                deadline: DateTime.UtcNow.AddSeconds(30));

            Assert.Equal(OfferReply.ResultOneofCase.AlreadyStored, reply.ResultCase);
            Assert.Equal(jobId.ToString(), reply.AlreadyStored.UploadJobId);
        }
    }

    [Fact]
    public async Task Transfer_NoClientCertificate_RefusedByNginx()
    {
        var client = TransferClient(certificate: null, out var channel);
        using (channel)
        {
            var error = await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => client.OfferAsync(
                new OfferRequest { Sha256 = new string('0', 64), Size = 1, ContentType = "video/mp4", SourceSystem = "nginx-test" },
                deadline: DateTime.UtcNow.AddSeconds(30)).ResponseAsync);

            Assert.NotEqual(Grpc.Core.StatusCode.OK, error.StatusCode);
        }
    }

    private Uri Nginx(string path) => new($"https://127.0.0.1:{fixture.HttpsPort}{path}");

    private string Token(string subject, string center) => fixture.Token(subject, center);

    private async Task<HttpResponseMessage> GetAsync(Uri uri, string? token, (long From, long To)? range = null, string? accelRedirect = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (range is { } r)
        {
            request.Headers.Range = new RangeHeaderValue(r.From, r.To);
        }

        if (accelRedirect is not null)
        {
            request.Headers.Add("X-Accel-Redirect", accelRedirect);
        }

        return await http.SendAsync(request).WaitAsync(Timeout);
    }

    private async Task<Guid> UploadThroughNginxAsync()
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Media);
        file.Headers.ContentType = new MediaTypeHeaderValue("video/mp4");
        form.Add(file, "file", "exam.mp4");
        form.Add(new StringContent("center-a"), "center_key");
        using var request = new HttpRequestMessage(HttpMethod.Post, Nginx("/api/upload/")) { Content = form };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token("alice", "center-a"));
        using var response = await http.SendAsync(request).WaitAsync(Timeout);
        var text = await response.Content.ReadAsStringAsync().WaitAsync(Timeout);
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, $"{response.StatusCode}: {text}\n{fixture.Nginx.ErrorLog}");
        using var json = System.Text.Json.JsonDocument.Parse(text);
        return json.RootElement.GetProperty("upload_id").GetGuid();
    }

    private async Task<string> AccelPathAsync(Guid jobId)
    {
        using var direct = await GetAsync(new Uri(Hub.ApiUrl, $"/api/media/{jobId}"), Token("alice", "center-a"));
        return Assert.Single(direct.Headers.GetValues("X-Accel-Redirect"));
    }

    /// <summary>The body holds no run of the media's bytes (random after the PDF signature, so no error text contains them).</summary>
    private static async Task AssertNoMediaBytesAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsByteArrayAsync().WaitAsync(Timeout);
        Assert.True(body.Length < 4096, $"unexpectedly large body ({body.Length} bytes)");
        Assert.Equal(-1, body.AsSpan().IndexOf(Media.AsSpan(5000, 64)));
        Assert.Equal(-1, body.AsSpan().IndexOf(Media.AsSpan(0, 32)));
    }

    private ProtoTransfer.TransferClient TransferClient(X509Certificate2? certificate, out GrpcChannel channel)
    {
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = certificate is null ? null : [certificate],
                RemoteCertificateValidationCallback = (_, c, _, _) => c is not null && Hub.Pki.Validates(new X509Certificate2(c)),
            },
        };
        channel = GrpcChannel.ForAddress($"https://127.0.0.1:{fixture.TransferPort}", new GrpcChannelOptions { HttpHandler = handler });
        return new ProtoTransfer.TransferClient(channel);
    }

    // The first requests through nginx meet a cold hub (JIT, JWKS, database pool) on a busy machine.
    private static HttpClient LongerTimeout(HttpClient client)
    {
        client.Timeout = Timeout;
        return client;
    }

    /// <summary>MP4-looking bytes (an <c>ftyp</c> box, then random): videos are stored as plaintext, so nginx streams them.</summary>
    private static byte[] Mp4Content(int length)
    {
        var bytes = new byte[length];
        RandomNumberGenerator.Fill(bytes);
        new byte[] { 0, 0, 0, 0x20 }.CopyTo(bytes, 0);
        "ftypisom"u8.CopyTo(bytes.AsSpan(4));
        return bytes;
    }
}
