using System.Security.Cryptography;
using System.Text.Json;
using LxAnnotate.EndToEnd.Tests.Support;
using LxAnnotate.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.EndToEnd.Tests;

/// <summary>A real <c>lxa-node run</c> reporting its state to a real hub (PostgreSQL), seen in the CLI and in <c>/metrics</c>.</summary>
public sealed class NodeHealthEndToEndTests
{
    [Fact]
    public async Task Run_WithHeartbeats_HubShowsLatestStateInNodesShowAndMetrics()
    {
        await using var hub = await HubProcess.StartAsync();
        await hub.AddCenterAsync("center-a");
        using var node = await NodeEnvironment.CreateAsync(hub, "node-a", "center-a");
        node.Environment["LXA_NODE_HEARTBEAT_SECONDS"] = "1";
        await using var run = ChildProcess.StartDotnet(Binaries.Node, ["run"], node.Environment);
        var folder = node.Root.Combine("import", "report_import");
        await WaitForAsync(() => Task.FromResult(Directory.Exists(folder)), run);
        var report = RandomNumberGenerator.GetBytes(3000);
        "%PDF-1.7\n"u8.CopyTo(report);
        await File.WriteAllBytesAsync(Path.Combine(folder, "report.pdf"), report);

        // The heartbeat after the report arrived reports it done.
        await WaitForAsync(async () =>
        {
            await using var db = hub.Db();
            return await db.NodeHealthReports.AnyAsync(h => h.Node!.NodeKey == "node-a" && h.OutboxDone == 1);
        }, run);
        var shown = await hub.OperatorAsync("nodes", "show", "node-a", "--json");
        using var http = hub.HttpClient();
        var metrics = await http.GetStringAsync(new Uri(hub.ApiUrl, "/metrics"));

        Assert.True(shown.ExitCode == 0, shown.StandardError);
        var health = JsonDocument.Parse(shown.StandardOutput).RootElement.GetProperty("health");
        Assert.Equal(1, health.GetProperty("outbox_done").GetInt64());
        Assert.Equal(0, health.GetProperty("outbox_queued").GetInt64());
        Assert.False(string.IsNullOrEmpty(health.GetProperty("version").GetString()));
        Assert.InRange(health.GetProperty("last_seen").GetDateTimeOffset(), DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.Contains("lxa_node_outbox_items{node_key=\"node-a\",center_key=\"center-a\",state=\"done\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("lxa_hub_received_bytes_total{center_key=\"center-a\",call=\"deliver\"} 3000", metrics, StringComparison.Ordinal);
        Assert.Contains("lxa_hub_upload_jobs{center_key=\"center-a\",status=\"pending\"} 1", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain("report.pdf", metrics, StringComparison.Ordinal);
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, ChildProcess run)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (!await condition())
        {
            Assert.False(run.HasExited, "lxa-node run exited:\n" + run.Output);
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 2 minutes; node output:\n" + run.Output);
            await Task.Delay(100);
        }
    }
}
