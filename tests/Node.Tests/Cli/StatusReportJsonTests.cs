using System.Text.Json;
using LxAnnotate.Node.Cli;
using LxAnnotate.Node.Hosting;

namespace LxAnnotate.Node.Tests.Cli;

/// <summary><c>lxa-node status --json</c> is read by operators' scripts: its names are a contract.</summary>
public sealed class StatusReportJsonTests
{
    [Fact]
    public void Serialize_FullReport_SnakeCaseNamesStateKeysAsTheyAreAndNullsWritten()
    {
        var id = Guid.Parse("0b3d9a52-6a1f-4a61-9a59-2f0f4f1f6a01");
        var created = new DateTimeOffset(2026, 12, 7, 8, 30, 0, TimeSpan.Zero);
        var report = new StatusReport(
            new Dictionary<string, int> { ["done"] = 2, ["queued"] = 1 },
            new StatusPendingItem(id, created, "queued", 3),
            "hub unavailable",
            new StatusHub("https://hub.example:8443/", Reachable: false, "connection refused"),
            [new StatusItem(id, "queued", "ab12", 1024, UploadJobId: null, LastError: "hub unavailable")]);

        using var json = JsonDocument.Parse(JsonSerializer.Serialize(report, NodeJsonContext.Default.StatusReport));
        var root = json.RootElement;

        Assert.Equal(["counts", "oldest_pending", "last_error", "hub", "items"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["done", "queued"], root.GetProperty("counts").EnumerateObject().Select(p => p.Name));
        Assert.Equal(1, root.GetProperty("counts").GetProperty("queued").GetInt32());
        var oldest = root.GetProperty("oldest_pending");
        Assert.Equal(["id", "created_at", "state", "attempts"], oldest.EnumerateObject().Select(p => p.Name));
        Assert.Equal(id, oldest.GetProperty("id").GetGuid());
        Assert.Equal(created, oldest.GetProperty("created_at").GetDateTimeOffset());
        Assert.Equal(["target", "reachable", "error"], root.GetProperty("hub").EnumerateObject().Select(p => p.Name));
        Assert.False(root.GetProperty("hub").GetProperty("reachable").GetBoolean());
        var item = Assert.Single(root.GetProperty("items").EnumerateArray());
        Assert.Equal(["id", "state", "sha256", "size", "upload_job_id", "last_error"], item.EnumerateObject().Select(p => p.Name));
        Assert.Equal(JsonValueKind.Null, item.GetProperty("upload_job_id").ValueKind);
        Assert.Equal(1024, item.GetProperty("size").GetInt64());
    }

    [Fact]
    public void Serialize_NothingPending_OldestPendingIsNull()
    {
        var report = new StatusReport(new Dictionary<string, int>(), null, null, new StatusHub("unix:/run/lx-annotate/hub.sock", Reachable: true, null), []);

        using var json = JsonDocument.Parse(JsonSerializer.Serialize(report, NodeJsonContext.Default.StatusReport));

        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("oldest_pending").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("hub").GetProperty("error").ValueKind);
        Assert.Empty(json.RootElement.GetProperty("items").EnumerateArray());
    }
}
