using LxAnnotate.Hub.Hosting;
using LxAnnotate.Hub.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LxAnnotate.Hub.Tests.Upload;

/// <summary>
/// A body over <c>LXA_HUB_UPLOAD_MAX_BYTES</c> sent to the real Kestrel listener over a socket: the client reads
/// the refusal (400, as the original API answers a file over its limit) even when it writes the whole body before reading (as curl and python-requests do), instead of a reset.
/// </summary>
public sealed class UploadOverLimitSocketTests
{
    private const long Limit = 1024 * 1024;

    /// <summary>A close with unread body resets only some of the time: a few tries make the test reliable.</summary>
    private const int Attempts = 3;

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(true, 8)]
    [InlineData(true, 48)]
    [InlineData(false, 8)]
    [InlineData(false, 48)]
    public async Task Upload_BodyOverTheLimitWrittenInFull_ClientReadsThe400(bool chunked, int mebibytes)
    {
        await using var hub = await StartAsync();
        var api = hub.App.Services.GetRequiredService<ListenerOptions>().ApiUrl;

        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            using var timeout = new CancellationTokenSource(Timeout);
            var outcome = await RawHttpUpload.SendThenReadAsync(api, "/api/upload/", mebibytes * 1024L * 1024, chunked, timeout.Token);

            Assert.True(outcome.Status == 400, $"attempt {attempt}: {outcome}");
            Assert.Null(outcome.WriteError);
            Assert.Contains("limit of 1048576 bytes (LXA_HUB_UPLOAD_MAX_BYTES)", outcome.Body, StringComparison.Ordinal);
            Assert.StartsWith("{\"error\":", outcome.Body, StringComparison.Ordinal);
            Assert.Equal("close", outcome.Headers["connection"]);
        }

        Assert.Empty(hub.IncomingFiles());
    }

    [Fact]
    public async Task Upload_ClientStillSendingPastTheDrainBound_ReadsThe400AndTheConnectionCloses()
    {
        await using var hub = await StartAsync();
        var api = hub.App.Services.GetRequiredService<ListenerOptions>().ApiUrl;
        var fileBytes = Limit + (3 * OversizedRequestBody.DrainMaxBytes);
        using var timeout = new CancellationTokenSource(Timeout);

        var outcome = await RawHttpUpload.ReadWhileSending(api, "/api/upload/", fileBytes, timeout.Token);

        Assert.True(outcome.Status == 400, outcome.ToString());
        Assert.Contains("limit of 1048576 bytes", outcome.Body, StringComparison.Ordinal);
        Assert.Equal("close", outcome.Headers["connection"]);

        // The hub read at most its limit plus the drain bound (and the socket buffers hold a few MiB more): the
        // writer was stopped by the closed connection long before the end of its body.
        Assert.NotNull(outcome.WriteError);
        Assert.True(outcome.BytesWritten < fileBytes, outcome.ToString());
    }

    [Fact]
    public async Task Upload_HttpClientSendingChunkedOverTheLimit_Gets400()
    {
        await using var hub = await StartAsync();
        var api = hub.App.Services.GetRequiredService<ListenerOptions>().ApiUrl;
        using var http = new HttpClient { Timeout = Timeout };

        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            using var form = new MultipartFormDataContent();
            var file = new StreamContent(new PatternStream(16 * Limit), 64 * 1024);
            file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/pdf");
            form.Add(file, "file", "big.pdf");
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(api, "/api/upload/")) { Content = form };
            request.Headers.TransferEncodingChunked = true;

            using var response = await http.SendAsync(request);

            Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("1048576", (await response.Content.ReadAsStringAsync()).ToString(), StringComparison.Ordinal);
        }
    }

    private static Task<TransferHub> StartAsync() => TransferHub.StartAsync(extra: new Dictionary<string, string?>
    {
        ["LXA_HUB_UPLOAD_MAX_BYTES"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["LXA_HUB_TRANSFER_URL"] = "off",
    });
}
