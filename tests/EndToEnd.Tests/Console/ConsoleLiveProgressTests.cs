using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using LxAnnotate.EndToEnd.Tests.Support;
using LxAnnotate.TestSupport.Browser;
using Microsoft.Playwright;

namespace LxAnnotate.EndToEnd.Tests.OperatorConsole;

/// <summary>
/// Live progress of transfers in flight: the server-sent events at <c>/console/progress</c> read over a real socket,
/// and the transfers page in chromium following a slow upload the test controls; with JavaScript off the page is the
/// snapshot it always was.
/// </summary>
[Collection(ConsoleTestGroup.Name)]
public sealed class ConsoleLiveProgressTests(ConsoleFixture fixture)
{
    private static readonly string[] EventFields = ["id", "receivedBytes", "sizeBytes", "percent", "bytesPerSecond"];

    private HubProcess Hub => fixture.Hub;

    [Fact]
    public async Task ProgressStream_AnonymousRefused_ScopedOperatorSeesOnlyOwnCentersTransfers()
    {
        var own = await OpenTransferAsync("site-sse-a", "center-a");
        var other = await OpenTransferAsync("site-sse-b", "center-b");
        using var anonymous = StreamClient();
        using (var refused = await anonymous.GetAsync(new Uri(Hub.ApiUrl, "/console/progress"), HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.NotEqual(HttpStatusCode.OK, refused.StatusCode);
            Assert.NotEqual("text/event-stream", refused.Content.Headers.ContentType?.MediaType);
        }

        await using var context = await fixture.Chromium.NewContextAsync(javaScriptEnabled: false);
        var page = await ConsoleSignIn.SignInAsync(context, Hub, ConsoleFixture.CenterAOperator);
        try
        {
            using var client = StreamClient();
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Hub.ApiUrl, "/console/progress"));
            request.Headers.Add("Cookie", string.Join("; ", (await context.CookiesAsync()).Select(c => c.Name + "=" + c.Value)));
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            using var reading = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            using var events = new StreamReader(await response.Content.ReadAsStreamAsync(reading.Token));
            var first = await NextProgressAsync(events, reading.Token);
            var second = await NextProgressAsync(events, reading.Token);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
            var ids = first.GetProperty("transfers").EnumerateArray().Select(t => t.GetProperty("id").GetString()).ToList();
            Assert.Contains(own, ids);
            Assert.DoesNotContain(other, ids);
            Assert.DoesNotContain(second.GetProperty("transfers").EnumerateArray(), t => t.GetProperty("id").GetString() == other);

            // Ids, offsets, sizes and rates only; the first event of a connection has no interval, so no rate yet.
            var mine = first.GetProperty("transfers").EnumerateArray().Single(t => t.GetProperty("id").GetString() == own);
            Assert.Equal(EventFields, mine.EnumerateObject().Select(p => p.Name));
            Assert.Equal((0, 1_048_576, JsonValueKind.Null), (mine.GetProperty("receivedBytes").GetInt64(), mine.GetProperty("sizeBytes").GetInt64(), mine.GetProperty("bytesPerSecond").ValueKind));
            var again = second.GetProperty("transfers").EnumerateArray().Single(t => t.GetProperty("id").GetString() == own);
            Assert.Equal(0, again.GetProperty("bytesPerSecond").GetInt64());
        }
        finally
        {
            await HeadlessChromium.ScreenshotAsync(page, nameof(ProgressStream_AnonymousRefused_ScopedOperatorSeesOnlyOwnCentersTransfers));
        }
    }

    [Fact]
    public async Task OverviewAndTransfersPage_FollowSlowUploadLive_AndStaySnapshotsWithJavaScriptOff()
    {
        var certificate = await Hub.AddNodeAsync("site-live", "center-a");
        var client = Hub.Client(certificate);
        var done = RandomNumberGenerator.GetBytes(SlowUpload.Chunk);
        using (var finished = await SlowUpload.StartAsync(Hub, client, await SlowUpload.OfferAsync(client, done, "center-a", "application/pdf", "done.pdf"), done))
        {
            await finished.FinishAsync();
        }

        var content = RandomNumberGenerator.GetBytes(32 * SlowUpload.Chunk);
        var transferId = await SlowUpload.OfferAsync(client, content, "center-a", "application/pdf", "live.pdf");
        using var upload = await SlowUpload.StartAsync(Hub, client, transferId, content);
        var firstOffset = await upload.SendAsync(SlowUpload.Step);

        await using var context = await fixture.Chromium.NewContextAsync();
        var page = await ConsoleSignIn.SignInAsync(context, Hub, ConsoleFixture.CenterAOperator, "/console/transfers");
        try
        {
            var overview = await context.NewPageAsync();
            await overview.GotoAsync(new Uri(Hub.ApiUrl, "/console/").AbsoluteUri);
            var row = page.Locator($"tr[data-transfer='{transferId}']");
            var overviewRow = overview.Locator($"tr[data-transfer='{transferId}']");
            Assert.Equal(Received(firstOffset, content.Length), await row.Locator("[data-received]").InnerTextAsync());
            Assert.Equal(Received(firstOffset, content.Length), await overviewRow.Locator("[data-received]").InnerTextAsync());

            // The live connection is up once a rate over an interval shows (none has moved yet: 0 B/s).
            await row.Locator("[data-rate]", new() { HasTextString = "B/s now" }).WaitForAsync();
            await overviewRow.Locator("[data-rate]", new() { HasTextString = "B/s now" }).WaitForAsync();
            var nextOffset = await upload.SendAsync(SlowUpload.Step);
            Assert.True(nextOffset > firstOffset, $"{nextOffset} after {firstOffset}");

            // The event that first carries the new offset has the previous one to compare with: a rate above zero.
            foreach (var live in new[] { row, overviewRow })
            {
                await live.Locator("[data-received]", new() { HasTextString = Received(nextOffset, content.Length) }).WaitForAsync();
                await live.Locator("[data-rate]", new() { HasTextRegex = new("^[1-9][0-9,]* B/s now$") }).WaitForAsync();
            }

            await HeadlessChromium.ScreenshotAsync(page, "transfers-live");
            await HeadlessChromium.ScreenshotAsync(overview, "overview-live");

            // A completed transfer's row is not followed: it keeps the average it was loaded with.
            var completed = page.Locator("tr[data-transfer]", new() { HasTextString = "completed" });
            Assert.True(await completed.CountAsync() >= 1);
            Assert.All(await completed.Locator("[data-rate]").AllInnerTextsAsync(), text => Assert.EndsWith(" B/s average", text, StringComparison.Ordinal));

            await AssertSnapshotWithoutJavaScriptAsync(transferId, Received(await upload.OffsetAsync(), content.Length));

            // Completed: the live cell says so instead of freezing at the last offset.
            await upload.FinishAsync();
            await row.Locator("[data-rate]", new() { HasTextString = "no longer in flight: reload" }).WaitForAsync();
        }
        finally
        {
            await HeadlessChromium.ScreenshotAsync(page, nameof(OverviewAndTransfersPage_FollowSlowUploadLive_AndStaySnapshotsWithJavaScriptOff));
        }
    }

    /// <summary>Without JavaScript: both pages as loaded (offset and average rate), and no live connection opened.</summary>
    private async Task AssertSnapshotWithoutJavaScriptAsync(string transferId, string received)
    {
        await using var context = await fixture.Chromium.NewContextAsync(javaScriptEnabled: false);
        var page = await ConsoleSignIn.SignInAsync(context, Hub, ConsoleFixture.CenterAOperator, "/console/transfers");
        var requested = new List<string>();
        page.Request += (_, r) => requested.Add(r.Url);
        foreach (var path in new[] { "/console/transfers", "/console/" })
        {
            await page.GotoAsync(new Uri(Hub.ApiUrl, path).AbsoluteUri);
            var row = page.Locator($"tr[data-transfer='{transferId}']");
            Assert.Equal(received, await row.Locator("[data-received]").InnerTextAsync());
            Assert.EndsWith(" B/s average", await row.Locator("[data-rate]").InnerTextAsync(), StringComparison.Ordinal);
        }

        Assert.DoesNotContain(requested, url => url.Contains("/console/progress", StringComparison.Ordinal) || url.EndsWith("/live.js", StringComparison.Ordinal));
        await HeadlessChromium.ScreenshotAsync(page, "overview-javascript-off");
    }

    private static string Received(long offset, long size) =>
        string.Create(CultureInfo.InvariantCulture, $"{offset:N0} of {size:N0} B ({offset * 100 / size} %)");

    /// <summary>An open transfer of a new node of <paramref name="centerKey"/>: offered, no byte sent.</summary>
    private async Task<string> OpenTransferAsync(string nodeKey, string centerKey)
    {
        var certificate = await Hub.AddNodeAsync(nodeKey, centerKey);
        return await SlowUpload.OfferAsync(Hub.Client(certificate), RandomNumberGenerator.GetBytes(1_048_576), centerKey, "application/pdf", nodeKey + ".pdf");
    }

    /// <summary>No redirects followed (an anonymous request ends at the provider otherwise) and cookies only as the test sets them.</summary>
    private HttpClient StreamClient() => new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        SslOptions = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, c, _, _) => c is not null && Hub.Pki.Validates(new X509Certificate2(c)),
        },
    })
    {
        Timeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>The data of the next <c>progress</c> event; at most 50 lines are read.</summary>
    private static async Task<JsonElement> NextProgressAsync(StreamReader events, CancellationToken cancellationToken)
    {
        string? type = null;
        for (var lines = 0; lines < 50; lines++)
        {
            var line = await events.ReadLineAsync(cancellationToken) ?? throw new InvalidOperationException("the event stream ended");
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                type = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal) && type == "progress")
            {
                return JsonDocument.Parse(line["data: ".Length..]).RootElement;
            }
        }

        throw new InvalidOperationException("no progress event in 50 lines");
    }
}
