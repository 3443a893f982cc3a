using System.Net;
using System.Security.Cryptography;
using LxAnnotate.Hub.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.Hub.Tests.Upload;

/// <summary>The upload API of a standalone install (SQLite): anonymous callers fall back to the default center.</summary>
public sealed class UploadApiStandaloneTests
{
    private static readonly Dictionary<string, string?> DefaultCenter = new() { ["LX_ANNOTATE_DEFAULT_CENTER"] = "clinic" };

    [Fact]
    public async Task Upload_AnonymousWithoutCenterKey_StoresInDefaultCenter()
    {
        await using var hub = await HubTestHost.StandaloneAsync(oidc: false, DefaultCenter);
        await hub.AddCentersAsync("clinic");

        using var response = await hub.UploadAsync(UploadContent.Form(UploadContent.Pdf(), "befund.pdf"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await HubTestHost.JsonAsync(response)).GetProperty("upload_id").GetGuid();
        var job = await hub.WithDbAsync(db => db.UploadJobs.Include(j => j.SourceCenter).SingleAsync(j => j.Id == id));
        Assert.Equal("clinic", job.SourceCenter!.CenterKey);
        Assert.Null(job.ProcessingProvenance.DeclaredCenterKey);
        Assert.Equal("standalone", job.ProcessingProvenance.HubMode);
        Assert.StartsWith("centers/clinic/", job.StoragePath, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_AnonymousWithAuthOff_Returns200()
    {
        await using var hub = await HubTestHost.StandaloneAsync(oidc: false, DefaultCenter);
        await hub.AddCentersAsync("clinic");
        using var upload = await hub.UploadAsync(UploadContent.Form(UploadContent.Pdf()));
        var statusUrl = (await HubTestHost.JsonAsync(upload)).GetProperty("status_url").GetString()!;

        using var response = await hub.GetAsync(statusUrl);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("clinic", (await HubTestHost.JsonAsync(response)).GetProperty("source_center_key").GetString());
    }

    [Fact]
    public async Task Upload_TokenWithoutOidcConfigured_Returns403InsteadOfAnonymous()
    {
        await using var hub = await HubTestHost.StandaloneAsync(oidc: false, DefaultCenter);
        await hub.AddCentersAsync("clinic");

        using var response = await hub.UploadAsync(UploadContent.Form(UploadContent.Pdf()), token: "not.a.token");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(hub.StoredFiles());
    }

    [Fact]
    public async Task Upload_InvalidTokenWithAuthOff_Returns403()
    {
        await using var hub = await HubTestHost.StandaloneAsync(oidc: true, DefaultCenter);
        await hub.AddCentersAsync("clinic");
        using var otherKey = RSA.Create(2048);

        using var response = await hub.UploadAsync(UploadContent.Form(UploadContent.Pdf()), hub.Tokens.Create("alice", ["clinic"], signWith: otherKey));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(hub.StoredFiles());
    }

    [Fact]
    public async Task Upload_ValidTokenOutsideDefaultCenter_Returns403()
    {
        await using var hub = await HubTestHost.StandaloneAsync(oidc: true, DefaultCenter);
        await hub.AddCentersAsync("clinic", "other");

        using var response = await hub.UploadAsync(UploadContent.Form(UploadContent.Pdf()), hub.Tokens.Create("alice", ["other"]));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Upload_ValidTokenWithAuthOff_RecordsUserCenter()
    {
        await using var hub = await HubTestHost.StandaloneAsync(oidc: true, DefaultCenter);
        await hub.AddCentersAsync("clinic", "other");

        using var response = await hub.UploadAsync(
            UploadContent.Form(UploadContent.Pdf(), fields: UploadContent.Fields(("center_key", "other"))),
            hub.Tokens.Create("alice", ["other"]));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await HubTestHost.JsonAsync(response)).GetProperty("upload_id").GetGuid();
        var job = await hub.WithDbAsync(db => db.UploadJobs.Include(j => j.SourceCenter).SingleAsync(j => j.Id == id));
        Assert.Equal("other", job.SourceCenter!.CenterKey);
    }

    [Fact]
    public async Task Upload_EnforceAuthOnStandalone_RequiresToken()
    {
        await using var hub = await HubTestHost.StandaloneAsync(oidc: true, new Dictionary<string, string?>(DefaultCenter) { ["ENFORCE_AUTH"] = "1" });
        await hub.AddCentersAsync("clinic");

        using var anonymous = await hub.UploadAsync(UploadContent.Form(UploadContent.Pdf()));
        using var status = await hub.GetAsync($"/api/upload/{Guid.NewGuid()}/status/");

        Assert.Equal(HttpStatusCode.Forbidden, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, status.StatusCode);
    }
}
