using System.Net;
using LxAnnotate.Hub.Tests.Support;
using LxAnnotate.Hub.Tests.Upload;

namespace LxAnnotate.Hub.Tests.Health;

/// <summary><c>/readyz</c> carries the findings of <c>lxa-hub check</c> as its <c>data_tree</c> check.</summary>
public sealed class ReadinessDataTreeTests
{
    [Fact]
    public async Task Readyz_TreeAsCreatedAtStart_DataTreeOk()
    {
        await using var hub = await HubTestHost.StandaloneAsync(oidc: false);

        using var response = await hub.GetAsync("/readyz");
        var check = (await HubTestHost.JsonAsync(response)).GetProperty("checks").GetProperty("data_tree");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(check.GetProperty("ok").GetBoolean());
        Assert.StartsWith("0 critical", check.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Readyz_DropFolderMissingAndStorageTooOpen_503NamingBoth()
    {
        await using var hub = await HubTestHost.StandaloneAsync(oidc: false);
        Directory.Delete(hub.Paths.SapImportFailed);
        File.SetUnixFileMode(hub.Paths.StorageDir, (UnixFileMode)Convert.ToInt32("755", 8));

        using var response = await hub.GetAsync("/readyz");
        var body = await HubTestHost.JsonAsync(response);
        var check = body.GetProperty("checks").GetProperty("data_tree");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("not_ready", body.GetProperty("status").GetString());
        Assert.False(check.GetProperty("ok").GetBoolean());
        var detail = check.GetProperty("detail").GetString()!;
        Assert.StartsWith("2 critical", detail, StringComparison.Ordinal);
        Assert.Contains("CRITICAL directory import/sap_import_failed: is missing", detail, StringComparison.Ordinal);
        Assert.Contains("CRITICAL mode storage: 0755 is looser than the documented 0750", detail, StringComparison.Ordinal);
    }
}
