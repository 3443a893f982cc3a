using System.Net;
using LxAnnotate.Hub.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.Hub.Tests.Upload;

/// <summary>REST upload: a used idempotency key with other content is a 409 naming the key; nothing is stored.</summary>
public sealed class UploadIdempotencyConflictTests
{
    private const string Key = "exam-4711";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Upload_UsedKeyOtherContent_Returns409AndStoresNothing(bool centralHubOnPostgres)
    {
        await using var hub = await StartAsync(centralHubOnPostgres);
        var token = centralHubOnPostgres ? hub.Tokens.Create("alice", ["center-a"]) : null;
        var pdf = UploadContent.Pdf();
        using var first = await hub.UploadAsync(Form(pdf), token, Key);
        var stored = hub.StoredFiles().Order(StringComparer.Ordinal).ToList();

        using var other = await hub.UploadAsync(Form(UploadContent.Pdf()), token, Key);
        using var same = await hub.UploadAsync(Form(pdf), token, Key);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);
        var message = (await HubTestHost.JsonAsync(other)).GetProperty("error").GetString()!;
        Assert.Contains(Key, message, StringComparison.Ordinal);
        Assert.Contains("content differs", message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, same.StatusCode);
        Assert.Equal(1, await hub.WithDbAsync(db => db.UploadJobs.CountAsync()));
        Assert.Equal(stored, hub.StoredFiles().Order(StringComparer.Ordinal).ToList());
        Assert.Empty(hub.StagedFiles());
        Assert.Contains(hub.Logs.Lines, l => l.Category == "LxAnnotate.Audit"
            && l.Message.Contains("reason=IdempotencyConflict", StringComparison.Ordinal)
            && l.Message.Contains(Key, StringComparison.Ordinal));
    }

    private static async Task<HubTestHost> StartAsync(bool centralHubOnPostgres)
    {
        var hub = centralHubOnPostgres
            ? await HubTestHost.CentralHubAsync()
            : await HubTestHost.StandaloneAsync(oidc: false, new Dictionary<string, string?> { ["LX_ANNOTATE_DEFAULT_CENTER"] = "center-a" });
        await hub.AddCentersAsync("center-a");
        return hub;
    }

    private static MultipartFormDataContent Form(byte[] pdf) =>
        UploadContent.Form(pdf, fields: UploadContent.Fields(("center_key", "center-a")));
}
