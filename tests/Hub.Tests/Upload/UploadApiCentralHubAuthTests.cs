using System.Net;
using System.Security.Cryptography;
using LxAnnotate.Hub.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.Hub.Tests.Upload;

/// <summary><c>POST /api/upload/</c> on a central hub: only a valid bearer token for the declared center may upload.</summary>
public sealed class UploadApiCentralHubAuthTests
{
    [Fact]
    public async Task Upload_NoToken_Returns403WithBearerChallengeAndStoresNothing()
    {
        await using var hub = await HubTestHost.CentralHubAsync();
        await hub.AddCentersAsync("center-a");

        using var response = await hub.UploadAsync(UploadContent.Form(UploadContent.Pdf(), fields: UploadContent.Fields(("center_key", "center-a"))));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
        Assert.Equal("Authentication credentials were not provided.", (await HubTestHost.JsonAsync(response)).GetProperty("detail").GetString());
        Assert.Empty(hub.StoredFiles());
        Assert.Empty(hub.StagedFiles());
    }

    [Fact]
    public async Task Upload_TokenWithWrongSignature_Returns403()
    {
        await using var hub = await HubTestHost.CentralHubAsync();
        await hub.AddCentersAsync("center-a");
        using var otherKey = RSA.Create(2048);

        using var response = await hub.UploadAsync(
            UploadContent.Form(UploadContent.Pdf(), fields: UploadContent.Fields(("center_key", "center-a"))),
            hub.Tokens.Create("mallory", ["center-a"], signWith: otherKey));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Empty(hub.StoredFiles());
    }

    [Fact]
    public async Task Upload_ExpiredToken_Returns403()
    {
        await using var hub = await HubTestHost.CentralHubAsync();
        await hub.AddCentersAsync("center-a");

        using var response = await hub.UploadAsync(
            UploadContent.Form(UploadContent.Pdf(), fields: UploadContent.Fields(("center_key", "center-a"))),
            hub.Tokens.Create("alice", ["center-a"], lifetime: TimeSpan.FromMinutes(10), issuedAt: DateTime.UtcNow.AddHours(-1)));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(hub.StoredFiles());
    }

    [Fact]
    public async Task Upload_TokenForOtherAudience_Returns403()
    {
        await using var hub = await HubTestHost.CentralHubAsync();
        await hub.AddCentersAsync("center-a");

        using var response = await hub.UploadAsync(
            UploadContent.Form(UploadContent.Pdf(), fields: UploadContent.Fields(("center_key", "center-a"))),
            hub.Tokens.Create("alice", ["center-a"], audience: "some-other-app"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Upload_CenterOutsideTokenScope_Returns403AndStoresNothing()
    {
        await using var hub = await HubTestHost.CentralHubAsync();
        await hub.AddCentersAsync("center-a", "center-b");

        using var response = await hub.UploadAsync(
            UploadContent.Form(UploadContent.Pdf(), fields: UploadContent.Fields(("center_key", "center-b"))),
            hub.Tokens.Create("alice", ["center-a"]));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("center-b", (await HubTestHost.JsonAsync(response)).GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Empty(hub.StoredFiles());
        Assert.Empty(hub.StagedFiles());
        Assert.Equal(0, await hub.WithDbAsync(db => db.UploadJobs.CountAsync()));
    }
}
