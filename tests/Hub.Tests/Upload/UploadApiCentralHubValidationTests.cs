using System.Net;
using LxAnnotate.Hub.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.Hub.Tests.Upload;

/// <summary><c>POST /api/upload/</c> on a central hub: malformed forms, missing or unknown centers, size and type limits keep nothing.</summary>
public sealed class UploadApiCentralHubValidationTests
{
    [Fact]
    public async Task Upload_MissingFile_Returns400()
    {
        await using var hub = await HubTestHost.CentralHubAsync();
        await hub.AddCentersAsync("center-a");

        using var response = await hub.UploadAsync(
            UploadContent.Form(file: null, fields: UploadContent.Fields(("center_key", "center-a"))),
            hub.Tokens.Create("alice", ["center-a"]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("file", (await HubTestHost.JsonAsync(response)).GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upload_UnknownField_Returns400NamingItAndKeepsNothing()
    {
        await using var hub = await HubTestHost.CentralHubAsync();
        await hub.AddCentersAsync("center-a");

        using var response = await hub.UploadAsync(
            UploadContent.Form(UploadContent.Pdf(), fields: UploadContent.Fields(("center_key", "center-a"), ("patient_name", "x"))),
            hub.Tokens.Create("alice", ["center-a"]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("unknown field 'patient_name'", (await HubTestHost.JsonAsync(response)).GetProperty("error").GetString());
        Assert.Empty(hub.StoredFiles());
        Assert.Empty(hub.StagedFiles());
        Assert.Equal(0, await hub.WithDbAsync(db => db.UploadJobs.CountAsync()));
    }

    [Theory]
    [InlineData("source_system", "has spaces")]
    [InlineData("center_key", "Center A")]
    [InlineData("idempotency_key", "line\nbreak")]
    public async Task Upload_InvalidFieldValue_Returns400AndKeepsNothing(string field, string value)
    {
        await using var hub = await HubTestHost.CentralHubAsync();
        await hub.AddCentersAsync("center-a");
        var fields = new Dictionary<string, string> { ["center_key"] = "center-a", [field] = value };

        using var response = await hub.UploadAsync(UploadContent.Form(UploadContent.Pdf(), fields: fields), hub.Tokens.Create("alice", ["center-a"]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field, (await HubTestHost.JsonAsync(response)).GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Empty(hub.StoredFiles());
        Assert.Empty(hub.StagedFiles());
    }

    [Fact]
    public async Task Upload_FieldLongerThanLimit_Returns400()
    {
        await using var hub = await HubTestHost.CentralHubAsync();
        await hub.AddCentersAsync("center-a");

        using var response = await hub.UploadAsync(
            UploadContent.Form(UploadContent.Pdf(), fields: UploadContent.Fields(("center_key", "center-a"), ("center_name", new string('n', 5000)))),
            hub.Tokens.Create("alice", ["center-a"]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(hub.StagedFiles());
    }

    [Fact]
    public async Task Upload_TwoFileParts_Returns400AndKeepsNothing()
    {
        await using var hub = await HubTestHost.CentralHubAsync();
        await hub.AddCentersAsync("center-a");
        var form = UploadContent.Form(UploadContent.Pdf(), fields: UploadContent.Fields(("center_key", "center-a")));
        form.Add(new ByteArrayContent(UploadContent.Pdf()), "file", "second.pdf");

        using var response = await hub.UploadAsync(form, hub.Tokens.Create("alice", ["center-a"]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(hub.StoredFiles());
        Assert.Empty(hub.StagedFiles());
    }

    [Fact]
    public async Task Upload_NotMultipart_Returns400()
    {
        await using var hub = await HubTestHost.CentralHubAsync();

        using var response = await hub.UploadAsync(new ByteArrayContent(UploadContent.Pdf()), hub.Tokens.Create("alice", ["center-a"]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Upload_NoCenterKey_Returns400WithoutFallback()
    {
        await using var hub = await HubTestHost.CentralHubAsync(new Dictionary<string, string?> { ["LX_ANNOTATE_DEFAULT_CENTER"] = "center-a" });
        await hub.AddCentersAsync("center-a");

        using var response = await hub.UploadAsync(UploadContent.Form(UploadContent.Pdf()), hub.Tokens.Create("alice", ["center-a"]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("center_key", (await HubTestHost.JsonAsync(response)).GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Empty(hub.StoredFiles());
        Assert.Empty(hub.StagedFiles());
    }

    [Fact]
    public async Task Upload_UnknownCenterInScope_Returns400()
    {
        await using var hub = await HubTestHost.CentralHubAsync();

        using var response = await hub.UploadAsync(
            UploadContent.Form(UploadContent.Pdf(), fields: UploadContent.Fields(("center_key", "center-z"))),
            hub.Tokens.Create("alice", ["center-z"]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(hub.StagedFiles());
    }

    [Fact]
    public async Task Upload_FileOverConfiguredLimit_Returns400AndKeepsNothing()
    {
        await using var hub = await HubTestHost.CentralHubAsync(new Dictionary<string, string?> { ["LXA_HUB_UPLOAD_MAX_BYTES"] = "1024" });
        await hub.AddCentersAsync("center-a");

        using var response = await hub.UploadAsync(
            UploadContent.Form(UploadContent.Pdf(8192), fields: UploadContent.Fields(("center_key", "center-a"))),
            hub.Tokens.Create("alice", ["center-a"]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("File too large: the upload exceeds the limit of 1024 bytes (LXA_HUB_UPLOAD_MAX_BYTES).", (await HubTestHost.JsonAsync(response)).GetProperty("error").GetString());
        Assert.Empty(hub.StoredFiles());
        Assert.Empty(hub.StagedFiles());
        Assert.Equal(0, await hub.WithDbAsync(db => db.UploadJobs.CountAsync()));
    }

    [Fact]
    public async Task Upload_ContentLengthFarOverLimit_Returns400BeforeReadingBody()
    {
        await using var hub = await HubTestHost.CentralHubAsync(new Dictionary<string, string?> { ["LXA_HUB_UPLOAD_MAX_BYTES"] = "1024" });
        await hub.AddCentersAsync("center-a");

        using var response = await hub.UploadAsync(
            UploadContent.Form(UploadContent.Pdf(512 * 1024), fields: UploadContent.Fields(("center_key", "center-a"))),
            hub.Tokens.Create("alice", ["center-a"]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(hub.Logs.Lines, l => l.Message.Contains("reason=too_large", StringComparison.Ordinal));
        Assert.Empty(hub.StoredFiles());
        Assert.Empty(hub.StagedFiles());
    }

    [Fact]
    public async Task Upload_TextFileNamedPdf_Returns400AndDeletesStagedFile()
    {
        await using var hub = await HubTestHost.CentralHubAsync();
        await hub.AddCentersAsync("center-a");

        using var response = await hub.UploadAsync(
            UploadContent.Form(UploadContent.Text("just some notes, not a report\n"), "report.pdf", UploadContent.Fields(("center_key", "center-a"))),
            hub.Tokens.Create("alice", ["center-a"]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Unsupported file type: text/plain. Allowed types: report, MP4, AVI, MOV, WMV.", (await HubTestHost.JsonAsync(response)).GetProperty("error").GetString());
        Assert.Empty(hub.StoredFiles());
        Assert.Empty(hub.StagedFiles());
        Assert.Equal(0, await hub.WithDbAsync(db => db.UploadJobs.CountAsync()));
    }
}
