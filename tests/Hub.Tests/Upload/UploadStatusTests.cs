using System.Net;
using System.Text.Json;
using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.Hub.Tests.Upload;

/// <summary><c>GET /api/upload/{id}/status/</c> on a central hub: a job outside the caller's centers does not exist for it.</summary>
public sealed class UploadStatusTests
{
    [Fact]
    public async Task Status_OwnJob_Returns200WithJobFields()
    {
        await using var hub = await HubTestHost.CentralHubAsync();
        await hub.AddCentersAsync("center-a");
        var token = hub.Tokens.Create("alice", ["center-a"]);
        var statusUrl = await UploadAsync(hub, token, "center-a");

        using var response = await hub.GetAsync(statusUrl, token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await HubTestHost.JsonAsync(response);
        Assert.Equal("pending", body.GetProperty("status").GetString());
        Assert.Equal("center-a", body.GetProperty("source_center_key").GetString());
        Assert.Equal("api", body.GetProperty("source_system").GetString());
        Assert.Equal("api", body.GetProperty("ingest_mode").GetString());
        Assert.Equal($"/api/upload/{body.GetProperty("id").GetGuid()}/status/", statusUrl);
        Assert.False(body.TryGetProperty("error_detail", out _));
        Assert.False(body.TryGetProperty("error_code", out _));
    }

    [Fact]
    public async Task Status_PendingJob_HasTheOriginalsFieldsInItsOrderWithReportLlmJobNull()
    {
        await using var hub = await HubTestHost.CentralHubAsync();
        await hub.AddCentersAsync("center-a");
        var token = hub.Tokens.Create("alice", ["center-a"]);
        var statusUrl = await UploadAsync(hub, token, "center-a");

        using var response = await hub.GetAsync(statusUrl, token);

        // UploadJobStatusSerializer drops error_detail, sensitive_meta_id, text and anonymized_text when they do not
        // apply or are empty; report_llm_job is null where there is none (issue #20).
        var body = await HubTestHost.JsonAsync(response);
        var names = body.EnumerateObject().Select(p => p.Name).ToArray();
        Assert.Equal(["status", "id", "source_center_key", "source_system", "ingest_mode", "report_llm_job"], names);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("report_llm_job").ValueKind);
    }

    [Fact]
    public async Task Status_JobOfAnotherCenter_Returns404LikeMissingJob()
    {
        await using var hub = await HubTestHost.CentralHubAsync();
        await hub.AddCentersAsync("center-a", "center-b");
        var statusUrl = await UploadAsync(hub, hub.Tokens.Create("alice", ["center-a"]), "center-a");
        var outsider = hub.Tokens.Create("bob", ["center-b"]);

        using var otherCenter = await hub.GetAsync(statusUrl, outsider);
        using var missing = await hub.GetAsync($"/api/upload/{Guid.NewGuid()}/status/", outsider);

        Assert.Equal(HttpStatusCode.NotFound, otherCenter.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(
            await otherCenter.Content.ReadAsStringAsync().WaitAsync(HubTestHost.Timeout),
            await missing.Content.ReadAsStringAsync().WaitAsync(HubTestHost.Timeout));
    }

    [Fact]
    public async Task Status_RandomOrMalformedId_Returns404()
    {
        await using var hub = await HubTestHost.CentralHubAsync();
        var token = hub.Tokens.Create("alice", ["center-a"]);

        using var random = await hub.GetAsync($"/api/upload/{Guid.NewGuid()}/status/", token);
        using var malformed = await hub.GetAsync("/api/upload/not-a-uuid/status/", token);

        Assert.Equal(HttpStatusCode.NotFound, random.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, malformed.StatusCode);
        Assert.Equal("{\"detail\":\"Upload job not found\"}", await random.Content.ReadAsStringAsync().WaitAsync(HubTestHost.Timeout));
    }

    [Fact]
    public async Task Status_ErrorJob_IncludesErrorCodeAndDetail()
    {
        await using var hub = await HubTestHost.CentralHubAsync();
        await hub.AddCentersAsync("center-a");
        var token = hub.Tokens.Create("alice", ["center-a"]);
        var statusUrl = await UploadAsync(hub, token, "center-a");
        var id = Guid.Parse(statusUrl.Split('/')[3]);
        await hub.WithDbAsync(async db =>
        {
            var job = await db.UploadJobs.SingleAsync(j => j.Id == id);
            job.TransitionTo(UploadJobStatus.Error, DateTimeOffset.UtcNow, UploadJobErrorCode.MediaIntegrityFailed, "ffprobe found no video stream");
            return await db.SaveChangesAsync();
        });

        using var response = await hub.GetAsync(statusUrl, token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await HubTestHost.JsonAsync(response);
        Assert.Equal("error", body.GetProperty("status").GetString());
        Assert.Equal("media_integrity_failed", body.GetProperty("error_code").GetString());
        Assert.Equal("ffprobe found no video stream", body.GetProperty("error_detail").GetString());
    }

    [Fact]
    public async Task Status_NoToken_Returns403()
    {
        await using var hub = await HubTestHost.CentralHubAsync();
        await hub.AddCentersAsync("center-a");
        var statusUrl = await UploadAsync(hub, hub.Tokens.Create("alice", ["center-a"]), "center-a");

        using var response = await hub.GetAsync(statusUrl);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    private static async Task<string> UploadAsync(HubTestHost hub, string token, string centerKey)
    {
        using var response = await hub.UploadAsync(UploadContent.Form(UploadContent.Pdf(), fields: UploadContent.Fields(("center_key", centerKey))), token);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await HubTestHost.JsonAsync(response)).GetProperty("status_url").GetString()!;
    }
}
