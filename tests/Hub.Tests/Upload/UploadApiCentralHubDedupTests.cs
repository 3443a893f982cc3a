using System.Net;
using LxAnnotate.Hub.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.Hub.Tests.Upload;

/// <summary><c>POST /api/upload/</c> on a central hub: the same content or idempotency key again reuses the first job.</summary>
public sealed class UploadApiCentralHubDedupTests
{
    [Fact]
    public async Task Upload_SameContentTwice_Returns200WithSameId()
    {
        await using var hub = await HubTestHost.CentralHubAsync();
        await hub.AddCentersAsync("center-a");
        var token = hub.Tokens.Create("alice", ["center-a"]);
        var pdf = UploadContent.Pdf();
        var fields = UploadContent.Fields(("center_key", "center-a"));

        using var first = await hub.UploadAsync(UploadContent.Form(pdf, fields: fields), token);
        using var second = await hub.UploadAsync(UploadContent.Form(pdf, "renamed.pdf", fields: fields, fieldsFirst: true), token);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(
            (await HubTestHost.JsonAsync(first)).GetProperty("upload_id").GetGuid(),
            (await HubTestHost.JsonAsync(second)).GetProperty("upload_id").GetGuid());
        Assert.Single(hub.StoredFiles());
        Assert.Empty(hub.StagedFiles());
        Assert.Equal(1, await hub.WithDbAsync(db => db.UploadJobs.CountAsync()));
    }

    [Fact]
    public async Task Upload_IdempotencyKeyHeader_WinsOverFieldAndReusesJob()
    {
        await using var hub = await HubTestHost.CentralHubAsync();
        await hub.AddCentersAsync("center-a");
        var token = hub.Tokens.Create("alice", ["center-a"]);
        var pdf = UploadContent.Pdf();

        using var first = await hub.UploadAsync(
            UploadContent.Form(pdf, fields: UploadContent.Fields(("center_key", "center-a"), ("idempotency_key", "field-key-1"))),
            token,
            idempotencyKey: "header-key");
        using var second = await hub.UploadAsync(
            UploadContent.Form(pdf, fields: UploadContent.Fields(("center_key", "center-a"), ("idempotency_key", "field-key-2"))),
            token,
            idempotencyKey: "header-key");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var id = (await HubTestHost.JsonAsync(first)).GetProperty("upload_id").GetGuid();
        Assert.Equal(id, (await HubTestHost.JsonAsync(second)).GetProperty("upload_id").GetGuid());
        var job = await hub.WithDbAsync(db => db.UploadJobs.SingleAsync());
        Assert.Equal("header-key", job.IdempotencyKey);
        Assert.Single(hub.StoredFiles());
        Assert.Empty(hub.StagedFiles());
    }
}
