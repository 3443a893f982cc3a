using System.Net;
using LxAnnotate.Hub.Tests.Support;

namespace LxAnnotate.Hub.Tests.Upload;

/// <summary>ARCHITECTURE §4: secrets live in the env file and never reach a log line.</summary>
public sealed class UploadSecretsTests
{
    [Fact]
    public async Task UploadAndStatus_WithSecretsConfigured_NoSecretInAnyLogLine()
    {
        var databasePassword = "db-pw-" + Guid.NewGuid().ToString("N");
        var clientSecret = "oidc-secret-" + Guid.NewGuid().ToString("N");
        var masterKey = LxAnnotate.TestSupport.TestMasterKey.NewEncoded();
        await using var hub = await HubTestHost.CentralHubAsync(
            new Dictionary<string, string?>
            {
                ["OIDC_CLIENT_SECRET"] = clientSecret,
                ["LX_ANNOTATE_MASTER_KEY"] = masterKey,
            },
            databasePassword);
        await hub.AddCentersAsync("center-a");
        var token = hub.Tokens.Create("alice", ["center-a"]);

        using var upload = await hub.UploadAsync(UploadContent.Form(UploadContent.Pdf(), "private-name.pdf", UploadContent.Fields(("center_key", "center-a"))), token);
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        var statusUrl = (await HubTestHost.JsonAsync(upload)).GetProperty("status_url").GetString()!;
        using var status = await hub.GetAsync(statusUrl, token);
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        using var refused = await hub.UploadAsync(UploadContent.Form(UploadContent.Pdf(), fields: UploadContent.Fields(("center_key", "center-a"))), token + "x");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);

        var lines = hub.Logs.Lines.ToList();
        Assert.NotEmpty(lines);
        Assert.Contains(lines, l => l.Category == "LxAnnotate.Audit" && l.Message.Contains("job_created", StringComparison.Ordinal));
        foreach (var secret in new[] { databasePassword, clientSecret, masterKey, token })
        {
            Assert.DoesNotContain(lines, l => l.Message.Contains(secret, StringComparison.Ordinal));
        }

        // File names are patient data in practice: the gateway does not log them either.
        Assert.DoesNotContain(lines, l => l.Message.Contains("private-name", StringComparison.Ordinal));
    }
}
