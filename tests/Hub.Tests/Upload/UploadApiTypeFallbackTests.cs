using System.Net;
using LxAnnotate.Hub.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.Hub.Tests.Upload;

/// <summary>
/// <c>POST /api/upload/</c> decides the type as the original does: content first, the file name only for data
/// libmagic cannot classify; every refusal of a file is 400 with the original's <c>{"error": …}</c> text.
/// </summary>
public sealed class UploadApiTypeFallbackTests
{
    [Fact]
    public async Task Upload_UnclassifiableBinaryNamedMp4_IsAcceptedAsVideo()
    {
        await using var hub = await HubTestHost.CentralHubAsync();
        await hub.AddCentersAsync("center-a");

        using var response = await hub.UploadAsync(
            UploadContent.Form(ContentTypeResolverTests.Pattern(), "clip.mp4", UploadContent.Fields(("center_key", "center-a"))),
            hub.Tokens.Create("alice", ["center-a"]));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("video/mp4", await hub.WithDbAsync(db => db.UploadJobs.Select(j => j.ContentType).SingleAsync()));
    }

    [Fact]
    public async Task Upload_PngNamedMp4_Returns400NamingTheDetectedType()
    {
        await using var hub = await HubTestHost.CentralHubAsync();
        await hub.AddCentersAsync("center-a");

        using var response = await hub.UploadAsync(
            UploadContent.Form(ContentTypeResolverTests.Png(), "clip.mp4", UploadContent.Fields(("center_key", "center-a"))),
            hub.Tokens.Create("alice", ["center-a"]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Unsupported file type: image/png. Allowed types: report, MP4, AVI, MOV, WMV.", (await HubTestHost.JsonAsync(response)).GetProperty("error").GetString());
        Assert.Empty(hub.StoredFiles());
        Assert.Empty(hub.StagedFiles());
    }

    [Fact]
    public async Task Upload_UnclassifiableBinaryWithOtherName_Returns400CouldNotDetermine()
    {
        await using var hub = await HubTestHost.CentralHubAsync();
        await hub.AddCentersAsync("center-a");

        using var response = await hub.UploadAsync(
            UploadContent.Form(ContentTypeResolverTests.Pattern(), "data.bin", UploadContent.Fields(("center_key", "center-a"))),
            hub.Tokens.Create("alice", ["center-a"]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Could not determine file type: Could not determine file type", (await HubTestHost.JsonAsync(response)).GetProperty("error").GetString());
        Assert.Equal(0, await hub.WithDbAsync(db => db.UploadJobs.CountAsync()));
    }

    [Fact]
    public async Task Upload_FilePartWithoutFileName_Returns400NoFileAsTheOriginal()
    {
        await using var hub = await HubTestHost.CentralHubAsync();
        await hub.AddCentersAsync("center-a");
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(UploadContent.Pdf()), "file" },
            { new StringContent("center-a"), "center_key" },
        };

        using var response = await hub.UploadAsync(form, hub.Tokens.Create("alice", ["center-a"]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("No file provided. Please include a file in the \"file\" field.", (await HubTestHost.JsonAsync(response)).GetProperty("error").GetString());
        Assert.Empty(hub.StagedFiles());
        Assert.Equal(0, await hub.WithDbAsync(db => db.UploadJobs.CountAsync()));
    }

    [Fact]
    public async Task Upload_EmptyFile_Returns400WithTheOriginalsText()
    {
        await using var hub = await HubTestHost.CentralHubAsync();
        await hub.AddCentersAsync("center-a");

        using var response = await hub.UploadAsync(
            UploadContent.Form([], "report.pdf", UploadContent.Fields(("center_key", "center-a"))),
            hub.Tokens.Create("alice", ["center-a"]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Uploaded file is empty. Please select a valid file.", (await HubTestHost.JsonAsync(response)).GetProperty("error").GetString());
    }
}
