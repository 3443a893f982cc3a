using System.Security.Cryptography;
using System.Text.Json;
using LxAnnotate.EndToEnd.Tests.Support;
using LxAnnotate.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.EndToEnd.Tests;

/// <summary><c>lxa-node push</c> against the real hub over mTLS.</summary>
public sealed class NodePushTests
{
    [Fact]
    public async Task Push_TwoFiles_BothDeliveredAndSecondPushSendsNothing()
    {
        await using var hub = await HubProcess.StartAsync();
        await hub.AddCenterAsync("center-a");
        using var node = await NodeEnvironment.CreateAsync(hub, "node-a", "center-a");
        var video = node.Root.Combine("case1.mp4");
        var report = node.Root.Combine("case1.pdf");
        await File.WriteAllBytesAsync(video, RandomNumberGenerator.GetBytes(3 * 1024 * 1024));
        await File.WriteAllBytesAsync(report, RandomNumberGenerator.GetBytes(40_000));

        var first = await node.RunAsync("push", video, report);
        var second = await node.RunAsync("push", video);

        Assert.True(first.ExitCode == 0, first.StandardOutput + first.StandardError);
        Assert.Equal(2, first.StandardOutput.Split('\n').Count(l => l.Contains(": delivered, upload job", StringComparison.Ordinal)));
        Assert.True(second.ExitCode == 0, second.StandardOutput + second.StandardError);
        Assert.True(File.Exists(video), "push keeps the operator's file");
        await using var db = hub.Db();
        var jobs = await db.UploadJobs.Include(j => j.SourceCenter).ToListAsync();
        Assert.Equal(2, jobs.Count);
        Assert.All(jobs, j => Assert.Equal("center-a", j.SourceCenter!.CenterKey));
        Assert.Contains(jobs, j => j.ContentType == "application/pdf");

        var status = await node.RunAsync("status", "--json");
        Assert.Equal(0, status.ExitCode);
        using var json = JsonDocument.Parse(status.StandardOutput);
        Assert.Equal(2, json.RootElement.GetProperty("counts").GetProperty("done").GetInt32());
        Assert.True(json.RootElement.GetProperty("hub").GetProperty("reachable").GetBoolean());
    }

    [Fact]
    public async Task Push_ManySmallFilesAndOneLarge_SmallOnesGroupedIntoDeliverManyCallsAllDelivered()
    {
        await using var hub = await HubProcess.StartAsync();
        await hub.AddCenterAsync("center-a");
        using var node = await NodeEnvironment.CreateAsync(hub, "node-a", "center-a");
        var files = new List<string>();
        for (var i = 0; i < 24; i++)
        {
            var path = node.Root.Combine($"report{i:00}.pdf");
            await File.WriteAllBytesAsync(path, RandomNumberGenerator.GetBytes(20_000 + i));
            files.Add(path);
        }

        var large = node.Root.Combine("case.mp4");
        await File.WriteAllBytesAsync(large, RandomNumberGenerator.GetBytes((1024 * 1024) + 1));
        files.Add(large);

        var result = await node.RunAsync(["push", .. files]);

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        Assert.Equal(25, result.StandardOutput.Split('\n').Count(l => l.Contains(": delivered, upload job", StringComparison.Ordinal)));
        Assert.Equal(24, hub.Output.Split('\n').Count(l => l.Contains("Delivered in one call as job", StringComparison.Ordinal)));
        var calls = System.Text.RegularExpressions.Regex.Matches(hub.Output, @"DeliverMany call with (\d+) artifacts \(0 refused\)")
            .Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))
            .ToList();
        Assert.Equal(24, calls.Sum());
        Assert.True(calls.Count < 24, $"{calls.Count} DeliverMany calls for 24 small files");
        Assert.Single(hub.Output.Split('\n'), l => l.Contains("Transfer ", StringComparison.Ordinal) && l.Contains(" opened for center", StringComparison.Ordinal));
        await using var db = hub.Db();
        Assert.Equal(25, await db.UploadJobs.CountAsync());
        Assert.Single(await db.Transfers.ToListAsync());
    }

    [Fact]
    public async Task Push_MoreFilesThanSeveralSlices_AllTakenDeliveredAndReportedInTheFilesOrder()
    {
        await using var hub = await HubProcess.StartAsync();
        await hub.AddCenterAsync("center-a");
        using var node = await NodeEnvironment.CreateAsync(hub, "node-a", "center-a");

        // Three slices (PushRun.FirstSlice = 32, then 64, then the rest): the first are sent while the later are taken.
        const int count = 101;
        var files = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var path = node.Root.Combine($"report{i:000}.pdf");
            await File.WriteAllBytesAsync(path, RandomNumberGenerator.GetBytes(2_000 + i));
            files.Add(path);
        }

        var result = await node.RunAsync(["push", .. files]);

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        var delivered = result.StandardOutput.Split('\n')
            .Where(l => l.Contains(": delivered, upload job", StringComparison.Ordinal))
            .Select(l => l[..l.IndexOf(':', StringComparison.Ordinal)])
            .ToList();
        Assert.Equal(files.Select(Path.GetFileName), delivered);
        Assert.All(files, f => Assert.True(File.Exists(f), $"{f} is the operator's and stays"));
        await using var db = hub.Db();
        Assert.Equal(count, await db.UploadJobs.CountAsync());
    }

    [Fact]
    public async Task Push_LargeFilesNotHashedYet_SentWhileHashed_UnlessTheCenterStoresTheirSize()
    {
        await using var hub = await HubProcess.StartAsync();
        await hub.AddCenterAsync("center-a");
        using var node = await NodeEnvironment.CreateAsync(hub, "node-a", "center-a");
        var first = node.Root.Combine("first.mp4");
        var sameSize = node.Root.Combine("same-size.mp4");
        var contents = new[] { RandomNumberGenerator.GetBytes((3 * 1024 * 1024) + 7), RandomNumberGenerator.GetBytes((3 * 1024 * 1024) + 7) };
        await File.WriteAllBytesAsync(first, contents[0]);
        await File.WriteAllBytesAsync(sameSize, contents[1]);

        var one = await node.RunAsync("push", first);
        var two = await node.RunAsync("push", sameSize);
        var again = await node.RunAsync("push", first);

        Assert.True(one.ExitCode == 0, one.StandardOutput + one.StandardError);
        Assert.True(two.ExitCode == 0, two.StandardOutput + two.StandardError);
        Assert.True(again.ExitCode == 0, again.StandardOutput + again.StandardError);
        Assert.Contains("was sent to the hub while it was hashed", one.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("The hub already stores the content", one.StandardOutput, StringComparison.Ordinal);
        var lines = hub.Output.Split('\n');
        Assert.Single(lines, l => l.Contains("its SHA-256 to follow in the Upload trailer", StringComparison.Ordinal));
        Assert.Single(lines, l => l.Contains("hash required (this center stores content of the same size and type)", StringComparison.Ordinal));
        Assert.Equal(2, lines.Count(l => l.Contains(" opened for center center-a", StringComparison.Ordinal)));
        await using var db = hub.Db();
        var hashes = await db.UploadJobs.OrderBy(j => j.CreatedAt).Select(j => j.ContentHash).ToListAsync();
        Assert.Equal(contents.Select(c => Convert.ToHexStringLower(SHA256.HashData(c))), hashes);
        Assert.All(await db.Transfers.ToListAsync(), t => Assert.Equal(hashes.Single(h => h == t.Sha256), t.Sha256));
    }

    [Fact]
    public async Task Push_CenterOfAnotherCenter_QuarantinedWithReasonAndExitsNonZero()
    {
        await using var hub = await HubProcess.StartAsync();
        await hub.AddCenterAsync("center-a");
        await hub.AddCenterAsync("center-b");
        using var node = await NodeEnvironment.CreateAsync(hub, "node-a", "center-a");
        var file = node.Root.Combine("case2.pdf");
        await File.WriteAllBytesAsync(file, RandomNumberGenerator.GetBytes(1000));

        var result = await node.RunAsync("push", "--center-key", "center-b", file);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("NOT delivered", result.StandardOutput, StringComparison.Ordinal);
        var reasons = Directory.GetFiles(node.Root.Combine("quarantine"), "*.reason.json");
        var reason = JsonDocument.Parse(await File.ReadAllTextAsync(Assert.Single(reasons))).RootElement;
        Assert.Contains("PermissionDenied", reason.GetProperty("why").GetString(), StringComparison.Ordinal);
        Assert.Equal("refused_by_hub", reason.GetProperty("what").GetString());
        await using var db = hub.Db();
        Assert.Equal(0, await db.UploadJobs.CountAsync());
    }

    [Fact]
    public async Task Push_CertificateRevoked_StopsAtOnceNamingTheCertificateAndKeepsTheFilesQueued()
    {
        await using var hub = await HubProcess.StartAsync();
        await hub.AddCenterAsync("center-a");
        using var node = await NodeEnvironment.CreateAsync(hub, "node-a", "center-a");
        string thumbprint;
        await using (var db = hub.Db())
        {
            thumbprint = (await db.NodeCertificates.SingleAsync()).ThumbprintSha256;
        }

        var revoke = await hub.OperatorAsync("nodes", "cert", "revoke", "node-a", thumbprint, "--reason", "laptop stolen");
        Assert.True(revoke.ExitCode == 0, revoke.StandardError);
        var small = node.Root.Combine("small.pdf");
        var large = node.Root.Combine("large.pdf");
        await File.WriteAllBytesAsync(small, RandomNumberGenerator.GetBytes(1000));
        await File.WriteAllBytesAsync(large, RandomNumberGenerator.GetBytes(3 * 1024 * 1024));

        // Without the stop the push would retry until its one-hour --timeout (and the runner's 3 minutes fail the test).
        var result = await node.RunAsync("push", small, large);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(2, result.StandardOutput.Split('\n').Count(l => l.Contains("NOT delivered", StringComparison.Ordinal) && l.Contains("Unauthenticated", StringComparison.Ordinal)));
        Assert.Contains("does not accept this node's certificate", result.StandardError, StringComparison.Ordinal);
        Assert.False(Directory.Exists(node.Root.Combine("quarantine")) && Directory.EnumerateFiles(node.Root.Combine("quarantine")).Any());
        await using var hubDb = hub.Db();
        Assert.Equal(0, await hubDb.UploadJobs.CountAsync());
    }

    [Fact]
    public async Task Push_NeverReadsTheSystemTrustStore()
    {
        await using var hub = await HubProcess.StartAsync();
        await hub.AddCenterAsync("center-a");
        using var node = await NodeEnvironment.CreateAsync(hub, "node-a", "center-a");
        // A system store of one certificate (the hub's CA), watched for opens: the node trusts its hub CA file only.
        var store = Directory.CreateDirectory(node.Root.Combine("system-trust")).FullName;
        File.Copy(node.Environment["LXA_NODE_HUB_CA_FILE"]!, Path.Combine(store, "ca.pem"));
        node.Environment["SSL_CERT_DIR"] = store;
        node.Environment["SSL_CERT_FILE"] = Path.Combine(store, "ca.pem");
        var video = node.Root.Combine("case1.mp4");
        await File.WriteAllBytesAsync(video, RandomNumberGenerator.GetBytes((2 * 1024 * 1024) + 3));
        using var watch = new OpenWatch(store);

        var push = await node.RunAsync("push", video);

        Assert.True(push.ExitCode == 0, push.StandardOutput + push.StandardError);
        Assert.Contains("case1.mp4: delivered, upload job", push.StandardOutput, StringComparison.Ordinal);
        Assert.Empty(watch.Opens());
    }

    [Fact]
    public async Task Check_HealthyNodeThenHubDown_OkThenOneLineNamingTheHub()
    {
        await using var hub = await HubProcess.StartAsync();
        await hub.AddCenterAsync("center-a");
        using var node = await NodeEnvironment.CreateAsync(hub, "node-a", "center-a");
        foreach (var folder in new[] { "video_import", "report_import", "preanonymized_import" })
        {
            Directory.CreateDirectory(node.Root.Combine("import", folder));
        }

        var healthy = await node.RunAsync("check");
        await hub.KillAsync();
        var down = await node.RunAsync("check");

        Assert.True(healthy.ExitCode == 0, healthy.StandardOutput + healthy.StandardError);
        Assert.Contains("ok", healthy.StandardOutput, StringComparison.Ordinal);
        Assert.NotEqual(0, down.ExitCode);
        var line = Assert.Single(down.ErrorLines);
        Assert.Contains($"127.0.0.1:{hub.TransferPort}", line, StringComparison.Ordinal);
    }
}
