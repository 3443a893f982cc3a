using System.Net.Http.Headers;
using System.Net;
using LxAnnotate.Hub.ProtectedMedia;
using LxAnnotate.Hub.Tests.DataDir;
using LxAnnotate.Hub.Tests.Support;
using LxAnnotate.Hub.Tests.Upload;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.Hub.Tests.ProtectedMedia;

/// <summary>
/// <c>GET /api/media/{job_id}</c>: center-scoped like the status endpoint; the hub serves byte ranges itself
/// when nginx handoff is off (standalone default) and only hands off with <c>X-Accel-Redirect</c> when it is on.
/// </summary>
public sealed class MediaApiTests
{
    private static readonly Dictionary<string, string?> DefaultCenter = new() { ["LX_ANNOTATE_DEFAULT_CENTER"] = "clinic" };

    [Fact]
    public async Task Media_RangeRequest_206WithContentRangeAndTheBytes()
    {
        await using var hub = await StandaloneAsync();
        var content = UploadContent.Pdf(10_000);
        var id = await UploadAsync(hub, content);

        using var response = await GetAsync(hub, $"/api/media/{id}", range: new RangeHeaderValue(100, 199));

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal("bytes 100-199/10000", response.Content.Headers.ContentRange!.ToString());
        Assert.Equal(content.AsSpan(100, 100).ToArray(), await BodyAsync(response));
        Assert.Equal("application/pdf", response.Content.Headers.ContentType!.MediaType);
        Assert.False(response.Headers.Contains("X-Accel-Redirect"));
    }

    [Fact]
    public async Task Media_SuffixRange_206WithTheLastBytes()
    {
        await using var hub = await StandaloneAsync();
        var content = UploadContent.Pdf(10_000);
        var id = await UploadAsync(hub, content);
        var range = new RangeHeaderValue();
        range.Ranges.Add(new RangeItemHeaderValue(null, 300));

        using var response = await GetAsync(hub, $"/api/media/{id}", range);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal("bytes 9700-9999/10000", response.Content.Headers.ContentRange!.ToString());
        Assert.Equal(content.AsSpan(9700).ToArray(), await BodyAsync(response));
    }

    [Fact]
    public async Task Media_NoRange_200WholeFileAcceptingRangesAndNotCached()
    {
        await using var hub = await StandaloneAsync();
        var content = UploadContent.Pdf(5_000);
        var id = await UploadAsync(hub, content);

        using var response = await GetAsync(hub, $"/api/media/{id}/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(content, await BodyAsync(response));
        Assert.Contains("bytes", response.Headers.AcceptRanges);
        Assert.True(response.Headers.CacheControl!.NoStore);
        Assert.True(response.Headers.CacheControl.Private);
    }

    [Fact]
    public async Task Media_RangeBeyondTheEnd_416WithContentRangeOfTheSize()
    {
        await using var hub = await StandaloneAsync();
        var id = await UploadAsync(hub, UploadContent.Pdf(10_000));

        using var response = await GetAsync(hub, $"/api/media/{id}", range: new RangeHeaderValue(20_000, 20_010));

        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, response.StatusCode);
        Assert.Equal("bytes */10000", response.Content.Headers.ContentRange!.ToString());
        Assert.Empty(await BodyAsync(response));
    }

    [Fact]
    public async Task Media_ClientSendsAccelRedirect_IgnoredAndServedNormally()
    {
        await using var hub = await StandaloneAsync();
        var content = UploadContent.Pdf(2_000);
        var id = await UploadAsync(hub, content);

        using var response = await GetAsync(hub, $"/api/media/{id}", accelRedirect: "/protected_media/storage/incoming/x");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("X-Accel-Redirect"));
        Assert.Equal(content, await BodyAsync(response));
    }

    [Fact]
    public async Task Media_FileGoneFromStorage_404()
    {
        await using var hub = await StandaloneAsync();
        var id = await UploadAsync(hub, UploadContent.Pdf(2_000));
        var path = await hub.WithDbAsync(db => db.UploadJobs.Where(j => j.Id == id).Select(j => j.StoragePath).SingleAsync());
        File.Delete(Path.Combine(hub.Paths.StorageDir, path));

        using var response = await GetAsync(hub, $"/api/media/{id}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("media not found", (await HubTestHost.JsonAsync(response)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Media_CentralHubEncryptedReport_DecryptedByTheHubNotHandedOff()
    {
        await using var hub = await HubTestHost.CentralHubAsync();
        await hub.AddCentersAsync("center-a");
        var token = hub.Tokens.Create("alice", ["center-a"]);
        var content = UploadContent.Pdf(10_000);
        var id = await UploadAsync(hub, content, token, "center-a");

        using var response = await GetAsync(hub, $"/api/media/{id}", range: new RangeHeaderValue(0, 99), token: token);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(content.AsSpan(0, 100).ToArray(), await BodyAsync(response));
        Assert.False(response.Headers.Contains("X-Accel-Redirect"));
    }

    [Fact]
    public async Task Media_CentralHubDefault_EmptyBodyWithAccelRedirectAndContentType()
    {
        await using var hub = await HubTestHost.CentralHubAsync();
        await hub.AddCentersAsync("center-a");
        var token = hub.Tokens.Create("alice", ["center-a"]);
        var id = await UploadAsync(hub, UploadContent.Mp4(10_000), token, "center-a", "exam.mp4");
        var storagePath = await hub.WithDbAsync(db => db.UploadJobs.Where(j => j.Id == id).Select(j => j.StoragePath).SingleAsync());

        using var response = await GetAsync(hub, $"/api/media/{id}", range: new RangeHeaderValue(0, 99), token: token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await BodyAsync(response));
        Assert.Equal($"/protected_media/storage/{storagePath}", Assert.Single(response.Headers.GetValues("X-Accel-Redirect")));
        Assert.Equal("video/mp4", response.Content.Headers.ContentType!.MediaType);
        Assert.True(File.Exists(Path.Combine(hub.Paths.Root, "storage", storagePath)));
    }

    [Fact]
    public async Task Media_CentralHubAccelOff_HubServesTheRange()
    {
        await using var hub = await HubTestHost.CentralHubAsync(new Dictionary<string, string?> { ["LX_ANNOTATE_MEDIA_ACCEL_REDIRECT"] = "false" });
        await hub.AddCentersAsync("center-a");
        var token = hub.Tokens.Create("alice", ["center-a"]);
        var content = UploadContent.Pdf(10_000);
        var id = await UploadAsync(hub, content, token, "center-a");

        using var response = await GetAsync(hub, $"/api/media/{id}", range: new RangeHeaderValue(5_000, 5_009), token: token);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(content.AsSpan(5_000, 10).ToArray(), await BodyAsync(response));
        Assert.False(response.Headers.Contains("X-Accel-Redirect"));
    }

    [Fact]
    public async Task Media_JobOfAnotherCenterOrUnknownOrMalformed_404WithoutHandoff()
    {
        await using var hub = await HubTestHost.CentralHubAsync();
        await hub.AddCentersAsync("center-a", "center-b");
        var id = await UploadAsync(hub, UploadContent.Pdf(3_000), hub.Tokens.Create("alice", ["center-a"]), "center-a");
        var outsider = hub.Tokens.Create("bob", ["center-b"]);

        using var otherCenter = await GetAsync(hub, $"/api/media/{id}", token: outsider);
        using var unknown = await GetAsync(hub, $"/api/media/{Guid.NewGuid()}", token: outsider);
        using var malformed = await GetAsync(hub, "/api/media/not-a-uuid", token: outsider);

        foreach (var response in new[] { otherCenter, unknown, malformed })
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.False(response.Headers.Contains("X-Accel-Redirect"));
        }

        Assert.Equal(
            await otherCenter.Content.ReadAsStringAsync().WaitAsync(HubTestHost.Timeout),
            await unknown.Content.ReadAsStringAsync().WaitAsync(HubTestHost.Timeout));
    }

    [Fact]
    public async Task Media_NoTokenOnCentralHub_401WithoutHandoff()
    {
        await using var hub = await HubTestHost.CentralHubAsync();
        await hub.AddCentersAsync("center-a");
        var id = await UploadAsync(hub, UploadContent.Pdf(3_000), hub.Tokens.Create("alice", ["center-a"]), "center-a");

        using var response = await GetAsync(hub, $"/api/media/{id}");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.False(response.Headers.Contains("X-Accel-Redirect"));
    }

    [Fact]
    public void AccelUri_PathUnderProtectedRoot_EscapesEachSegment()
    {
        var paths = DataTreeTestPaths.Under("/srv/lx");

        var uri = ProtectedMediaPath.AccelUri(paths, "/srv/lx/data/storage/centers/c a/ab/x#.mp4");

        Assert.Equal("/protected_media/storage/centers/c%20a/ab/x%23.mp4", uri);
    }

    [Theory]
    [InlineData("../outside.pdf")]
    [InlineData("centers/../../outside.pdf")]
    [InlineData("/etc/passwd")]
    [InlineData("")]
    public void Resolve_PathLeavingStorage_Null(string storagePath)
    {
        var paths = DataTreeTestPaths.Under("/srv/lx");

        Assert.Null(ProtectedMediaPath.Resolve(paths, storagePath));
    }

    private static async Task<HubTestHost> StandaloneAsync()
    {
        var hub = await HubTestHost.StandaloneAsync(oidc: false, DefaultCenter);
        await hub.AddCentersAsync("clinic");
        return hub;
    }

    private static async Task<Guid> UploadAsync(HubTestHost hub, byte[] content, string? token = null, string? centerKey = null, string fileName = "report.pdf")
    {
        var fields = centerKey is null ? null : UploadContent.Fields(("center_key", centerKey));
        using var response = await hub.UploadAsync(UploadContent.Form(content, fileName, fields: fields), token);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await HubTestHost.JsonAsync(response)).GetProperty("upload_id").GetGuid();
    }

    private static async Task<HttpResponseMessage> GetAsync(HubTestHost hub, string path, RangeHeaderValue? range = null, string? token = null, string? accelRedirect = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Range = range;
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (accelRedirect is not null)
        {
            request.Headers.Add("X-Accel-Redirect", accelRedirect);
        }

        return await hub.Client.SendAsync(request).WaitAsync(HubTestHost.Timeout);
    }

    private static async Task<byte[]> BodyAsync(HttpResponseMessage response) =>
        await response.Content.ReadAsByteArrayAsync().WaitAsync(HubTestHost.Timeout);
}
