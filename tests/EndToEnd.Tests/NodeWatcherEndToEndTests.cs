using System.Security.Cryptography;
using System.Text.Json;
using LxAnnotate.EndToEnd.Tests.Support;
using LxAnnotate.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.EndToEnd.Tests;

/// <summary><c>lxa-node run</c> (watcher + sync) against the real hub over mTLS.</summary>
public sealed class NodeWatcherEndToEndTests
{
    [Fact]
    public async Task Run_FileStillBeingWritten_TakenOnlyWhenStableAndHashMatches()
    {
        await using var hub = await HubProcess.StartAsync();
        await hub.AddCenterAsync("center-a");
        using var node = await NodeEnvironment.CreateAsync(hub, "node-a", "center-a");
        await using var run = ChildProcess.StartDotnet(Binaries.Node, ["run"], node.Environment);
        var drop = node.Root.Combine("import", "video_import", "growing.mp4");
        await WaitForAsync(() => Task.FromResult(Directory.Exists(Path.GetDirectoryName(drop))), run);
        var content = RandomNumberGenerator.GetBytes(4 * 1024 * 1024);
        "\0\0\0\u0018ftypisom\0\0\u0002\0isomiso2"u8.CopyTo(content);

        // Written in pieces over ~3 s: longer than WATCHER_STABLE_AFTER_SECONDS between the first and last piece.
        await using (var file = new FileStream(drop, FileMode.CreateNew))
        {
            for (var i = 0; i < 8; i++)
            {
                await file.WriteAsync(content.AsMemory(i * 512 * 1024, 512 * 1024));
                await file.FlushAsync();
                await Task.Delay(400);
                Assert.True(File.Exists(drop), "taken while still growing");
            }
        }

        var job = await WaitForJobsAsync(hub, 1, run);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), job[0].ContentHash);
        Assert.False(File.Exists(drop));
    }

    [Fact]
    public async Task Run_TwoHundredSmallFilesAndAPartRename_AllArriveOnceEach()
    {
        await using var hub = await HubProcess.StartAsync();
        await hub.AddCenterAsync("center-a");
        using var node = await NodeEnvironment.CreateAsync(hub, "node-a", "center-a");
        await using var run = ChildProcess.StartDotnet(Binaries.Node, ["run"], node.Environment);
        var folder = node.Root.Combine("import", "report_import");
        await WaitForAsync(() => Task.FromResult(Directory.Exists(folder)), run);

        var hashes = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 200; i++)
        {
            var bytes = RandomNumberGenerator.GetBytes(2048);
            "%PDF-1.7\n"u8.CopyTo(bytes);
            hashes.Add(Convert.ToHexStringLower(SHA256.HashData(bytes)));
            await File.WriteAllBytesAsync(Path.Combine(folder, $"report-{i:D3}.pdf"), bytes);
        }

        var late = RandomNumberGenerator.GetBytes(4096);
        "%PDF-1.7\n"u8.CopyTo(late);
        hashes.Add(Convert.ToHexStringLower(SHA256.HashData(late)));
        await File.WriteAllBytesAsync(Path.Combine(folder, "late.pdf.part"), late);
        await Task.Delay(2500);
        File.Move(Path.Combine(folder, "late.pdf.part"), Path.Combine(folder, "late.pdf"));

        var jobs = await WaitForJobsAsync(hub, 201, run);
        Assert.Equal(hashes.Order(StringComparer.Ordinal), jobs.Select(j => j.ContentHash).Order(StringComparer.Ordinal));
        Assert.Empty(Directory.EnumerateFiles(folder));
    }

    [Fact]
    public async Task Run_HubRefusesSidecarCenter_FileQuarantinedWithReasonNothingLost()
    {
        await using var hub = await HubProcess.StartAsync();
        await hub.AddCenterAsync("center-a");
        await hub.AddCenterAsync("center-b");
        using var node = await NodeEnvironment.CreateAsync(hub, "node-a", "center-a");
        await using var run = ChildProcess.StartDotnet(Binaries.Node, ["run"], node.Environment);
        var folder = node.Root.Combine("import", "preanonymized_import");
        await WaitForAsync(() => Task.FromResult(Directory.Exists(folder)), run);
        var text = RandomNumberGenerator.GetBytes(1000);
        await File.WriteAllTextAsync(Path.Combine(folder, "export.json"), """{"center_key": "center-b", "source_system": "sap_ish"}""");
        await File.WriteAllBytesAsync(Path.Combine(folder, "export.txt"), text);

        var quarantine = node.Root.Combine("quarantine");
        await WaitForAsync(() => Task.FromResult(Directory.Exists(quarantine) && Directory.GetFiles(quarantine, "*.reason.json").Length >= 1), run);

        var reason = JsonDocument.Parse(await File.ReadAllTextAsync(Directory.GetFiles(quarantine, "*.reason.json")[0])).RootElement;
        Assert.Contains("PermissionDenied", reason.GetProperty("why").GetString(), StringComparison.Ordinal);
        var kept = Directory.GetFiles(quarantine).Where(f => !f.EndsWith(".reason.json", StringComparison.Ordinal)).ToList();
        Assert.Contains(kept, f => File.ReadAllBytes(f).SequenceEqual(text));
        await using var db = hub.Db();
        Assert.Equal(0, await db.UploadJobs.CountAsync());
    }

    [Fact]
    public async Task Run_SymlinkDropped_QuarantinedAndTargetUntouched()
    {
        await using var hub = await HubProcess.StartAsync();
        await hub.AddCenterAsync("center-a");
        using var node = await NodeEnvironment.CreateAsync(hub, "node-a", "center-a");
        var target = node.Root.Combine("outside-secret.mp4");
        var targetBytes = RandomNumberGenerator.GetBytes(5000);
        await File.WriteAllBytesAsync(target, targetBytes);
        await using var run = ChildProcess.StartDotnet(Binaries.Node, ["run"], node.Environment);
        var folder = node.Root.Combine("import", "video_import");
        await WaitForAsync(() => Task.FromResult(Directory.Exists(folder)), run);

        File.CreateSymbolicLink(Path.Combine(folder, "link.mp4"), target);

        var quarantine = node.Root.Combine("quarantine");
        await WaitForAsync(() => Task.FromResult(Directory.Exists(quarantine) && Directory.GetFiles(quarantine, "*.reason.json").Length == 1), run);
        Assert.Equal(targetBytes, await File.ReadAllBytesAsync(target));
        Assert.NotNull(new FileInfo(Path.Combine(quarantine, "link.mp4")).LinkTarget);
        await using var db = hub.Db();
        Assert.Equal(0, await db.UploadJobs.CountAsync());
    }

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

    private static async Task<List<LxAnnotate.Hub.Domain.UploadJob>> WaitForJobsAsync(HubProcess hub, int count, ChildProcess run)
    {
        List<LxAnnotate.Hub.Domain.UploadJob> jobs = [];
        await WaitForAsync(async () =>
        {
            await using var db = hub.Db();
            jobs = await db.UploadJobs.AsNoTracking().ToListAsync();
            return jobs.Count >= count;
        }, run);
        await Task.Delay(500);
        await using var final = hub.Db();
        jobs = await final.UploadJobs.AsNoTracking().ToListAsync();
        Assert.Equal(count, jobs.Count);
        return jobs;
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
