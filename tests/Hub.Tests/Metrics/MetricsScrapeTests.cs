using System.Net;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using LxAnnotate.Hub.Tests.Support;
using LxAnnotate.Shared.Protos.V1;
using LxAnnotate.TestSupport;
using static LxAnnotate.Hub.Tests.Support.TransferClientExtensions;

namespace LxAnnotate.Hub.Tests.Metrics;

/// <summary><c>/metrics</c> of the real hub (Kestrel on loopback) scraped before and after real gRPC and REST traffic.</summary>
public sealed class MetricsScrapeTests
{
    private const string Center = "center-a";

    public static TheoryData<TestDatabaseKind> Databases() => new() { TestDatabaseKind.Sqlite, TestDatabaseKind.PostgreSql };

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Scrape_AfterGrpcPushRestUploadAndHeartbeat_CountersMovedByTheRightAmounts(TestDatabaseKind kind)
    {
        await using var postgres = kind == TestDatabaseKind.PostgreSql ? await PostgresTestDatabase.CreateAsync() : null;
        var (hub, http) = await StartAsync(new() { ["DATABASE_URL"] = postgres?.Url });
        await using var _ = hub;
        using var __ = http;
        await hub.AddCenterAsync(Center);
        await hub.AddCenterAsync("center-b");
        var certificate = await hub.AddNodeAsync("node-a", Center);
        var node = hub.Client(certificate);
        var before = await ScrapeAsync(http);

        var video = UploadContent.Mp4((3 * 1024 * 1024) + 17);
        var (offer, upload, sent) = await node.SendAsync(video);
        var again = await node.OfferAsync(OfferFor(video));
        var small = UploadContent.Mp4(1000);
        var delivered = await node.DeliverAsync(new DeliverRequest { Offer = OfferFor(small), Content = ByteString.CopyFrom(small) });
        var refused = await ExpectRpcErrorAsync(() => node.OfferAsync(OfferFor(UploadContent.Mp4(), centerKey: "center-b")).ResponseAsync);
        using var created = await http.PostAsync(new Uri("/api/upload/", UriKind.Relative), UploadContent.Form(UploadContent.Pdf()));
        using var empty = await http.PostAsync(new Uri("/api/upload/", UriKind.Relative), UploadContent.Form([]));
        await node.HeartbeatAsync(new HeartbeatRequest
        {
            SentAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow),
            Outbox = new OutboxCounts { Queued = 4, Done = 11 },
            OldestPendingAgeSeconds = 30,
            QuarantineCount = 1,
            Version = "test",
        });
        var after = await ScrapeAsync(http);

        Assert.Equal((OfferReply.ResultOneofCase.Transfer, true, video.Length), (offer.ResultCase, upload!.Created, sent));
        Assert.Equal(OfferReply.ResultOneofCase.AlreadyStored, again.ResultCase);
        Assert.True(delivered.Created);
        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.BadRequest), (created.StatusCode, empty.StatusCode));

        double Delta(string name, params (string, string)[] labels) => after.Value(name, labels) - before.Value(name, labels);
        Assert.Equal(video.Length, Delta("lxa_hub_received_bytes_total", ("center_key", Center), ("call", "upload")));
        Assert.Equal(small.Length, Delta("lxa_hub_received_bytes_total", ("center_key", Center), ("call", "deliver")));
        Assert.Equal(1, Delta("lxa_hub_offers_total", ("center_key", Center), ("outcome", "transfer")));
        Assert.Equal(1, Delta("lxa_hub_offers_total", ("center_key", Center), ("outcome", "already_stored")));
        Assert.Equal(1, Delta("lxa_hub_offers_total", ("center_key", Center), ("outcome", "stored")));
        Assert.Equal(1, Delta("lxa_hub_offers_total", ("center_key", Center), ("outcome", "refused")));
        Assert.Equal(1, Delta("lxa_hub_small_deliveries_total", ("center_key", Center), ("outcome", "stored")));
        Assert.Equal(1, Delta("lxa_hub_transfers_completed_total", ("center_key", Center), ("result", "stored")));
        Assert.Equal(0, Delta("lxa_hub_transfers_failed_total", ("center_key", Center), ("reason", "data_loss")));
        Assert.Equal(1, Delta("lxa_hub_rest_uploads_total", ("status_code", "201")));
        Assert.Equal(1, Delta("lxa_hub_rest_uploads_total", ("status_code", "400")));
        Assert.Equal(1, Delta("lxa_hub_heartbeats_total", ("center_key", Center), ("outcome", "accepted")));

        // The gauges read from the database: three jobs (push, delivery, REST upload), one completed transfer.
        Assert.Equal(3, after.Value("lxa_hub_upload_jobs", ("center_key", Center), ("status", "pending")));
        Assert.Equal(0, after.Value("lxa_hub_upload_jobs", ("center_key", Center), ("status", "error")));
        Assert.True(after.Has("lxa_hub_upload_jobs", ("center_key", "center-b"), ("status", "pending")));
        Assert.Equal(1, after.Value("lxa_hub_transfers", ("state", "completed")));
        Assert.Equal(0, after.Value("lxa_hub_transfers", ("state", "open")));
        (string, string)[] nodeLabels = [("node_key", "node-a"), ("center_key", Center)];
        Assert.InRange(after.Value("lxa_node_last_seen_timestamp_seconds", nodeLabels), DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1);
        Assert.Equal(4, after.Value("lxa_node_outbox_items", [.. nodeLabels, ("state", "queued")]));
        Assert.Equal(11, after.Value("lxa_node_outbox_items", [.. nodeLabels, ("state", "done")]));
        Assert.Equal(30, after.Value("lxa_node_oldest_pending_age_seconds", nodeLabels));
        Assert.Equal(1, after.Value("lxa_node_quarantined_files", nodeLabels));
        Assert.Equal(new DateTimeOffset(certificate.NotAfter.ToUniversalTime()).ToUnixTimeSeconds(), after.Value("lxa_node_certificate_expiry_timestamp_seconds", nodeLabels));
        Assert.True(after.Value("lxa_hub_storage_free_bytes") > 0);
        Assert.True(after.Value("lxa_hub_storage_size_bytes") >= after.Value("lxa_hub_storage_free_bytes"));
        Assert.DoesNotContain(after.Series.Keys, k => k.Contains("video.mp4", StringComparison.Ordinal) || k.Contains("report.pdf", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Scrape_ThroughAProxy_ForbiddenWithoutToken()
    {
        var (hub, http) = await StartAsync([]);
        await using var _ = hub;
        using var __ = http;
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Scrape_TokenConfigured_OnlyWithThatBearerToken()
    {
        using var files = new TempDirectory();
        var token = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var tokenFile = files.Combine("metrics.token");
        await File.WriteAllTextAsync(tokenFile, token + "\n");
        var (hub, http) = await StartAsync(new() { ["LXA_HUB_METRICS_TOKEN_FILE"] = tokenFile });
        await using var _ = hub;
        using var __ = http;

        using var anonymous = await http.GetAsync(new Uri("/metrics", UriKind.Relative));
        using var wrong = await GetWithTokenAsync(http, new string('0', 64));
        using var right = await GetWithTokenAsync(http, token);

        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.OK), (anonymous.StatusCode, wrong.StatusCode, right.StatusCode));
        Assert.StartsWith("text/plain", right.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
        Assert.Contains("lxa_hub_storage_free_bytes", await right.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scrape_MetricsOff_NotServed()
    {
        var (hub, http) = await StartAsync(new() { ["LXA_HUB_METRICS"] = "off" });
        await using var _ = hub;
        using var __ = http;

        using var response = await http.GetAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static async Task<(TransferHub Hub, HttpClient Http)> StartAsync(Dictionary<string, string?> extra)
    {
        var apiUrl = $"http://127.0.0.1:{FreePort.Next()}";
        extra["LXA_HUB_API_URL"] = apiUrl;
        var hub = await TransferHub.StartAsync(extra: extra);
        return (hub, new HttpClient { BaseAddress = new Uri(apiUrl), Timeout = TimeSpan.FromSeconds(60) });
    }

    private static async Task<HttpResponseMessage> GetWithTokenAsync(HttpClient http, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return await http.SendAsync(request);
    }

    private static async Task<ScrapedMetrics> ScrapeAsync(HttpClient http)
    {
        using var response = await http.GetAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return ScrapedMetrics.Parse(await response.Content.ReadAsStringAsync());
    }
}
