using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using LxAnnotate.EndToEnd.Tests.Support;
using LxAnnotate.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.EndToEnd.Tests;

/// <summary>The real <c>lxa-node</c> against the real hub when either side goes away.</summary>
public sealed partial class NodeResilienceTests
{
    private const int Chunk = 1024 * 1024;

    [Fact]
    public async Task Push_NodeKilledMidUpload_RestartResumesFromHubOffset()
    {
        await using var hub = await HubProcess.StartAsync();
        await hub.AddCenterAsync("center-a");
        using var node = await NodeEnvironment.CreateAsync(hub, "node-a", "center-a");
        var file = node.Root.Combine("long-case.mp4");
        var content = RandomNumberGenerator.GetBytes(256 * Chunk);
        await File.WriteAllBytesAsync(file, content);

        await using (var first = ChildProcess.StartDotnet(Binaries.Node, ["push", file], node.Environment))
        {
            await WaitForAsync(async () =>
            {
                await using var db = hub.Db();
                return await db.Transfers.AnyAsync(t => t.ReceivedBytes >= 64L * Chunk);
            }, TimeSpan.FromMinutes(2));
            await first.KillAsync();
        }

        var second = await node.RunAsync("push", file);

        Assert.True(second.ExitCode == 0, second.StandardOutput + second.StandardError);
        await using var check = hub.Db();
        var job = await check.UploadJobs.SingleAsync();
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), job.ContentHash);
        var stored = Path.Combine(hub.StorageDir, job.StoragePath);

        // A video stays managed plaintext even on a hub with a master key.
        Assert.Equal("managed", job.StorageEncoding);
        Assert.Equal(content.Length, new FileInfo(stored).Length);

        // Every byte the hub received, summed over both upload calls, minus the file: what was sent twice.
        var received = ReceivedPerCall().Matches(hub.Output).Sum(m => long.Parse(m.Groups["bytes"].Value, CultureInfo.InvariantCulture));
        Assert.True(received - content.Length < 2 * Chunk, $"hub received {received} bytes for a {content.Length}-byte file");
        Assert.Equal(2, ReceivedPerCall().Count(hub.Output));
    }

    [Fact]
    public async Task Push_HubDownAtFirst_BacksOffAndDeliversOnceHubIsBack()
    {
        await using var hub = await HubProcess.StartAsync();
        await hub.AddCenterAsync("center-a");
        using var node = await NodeEnvironment.CreateAsync(hub, "node-a", "center-a");
        var file = node.Root.Combine("later.pdf");
        await File.WriteAllBytesAsync(file, RandomNumberGenerator.GetBytes(200_000));
        await hub.KillAsync();

        await using var push = ChildProcess.StartDotnet(Binaries.Node, ["push", "--timeout", "120", file], node.Environment);
        await Task.Delay(TimeSpan.FromSeconds(4));
        Assert.False(push.HasExited, push.Output);
        await hub.RestartAsync();
        var exit = await push.WaitForExitAsync(TimeSpan.FromMinutes(3));

        Assert.True(exit == 0, push.Output);
        Assert.Contains("delivered, upload job", push.Output, StringComparison.Ordinal);
        Assert.Contains("next attempt in", push.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_SigtermMidUpload_ExitsInBoundedTimeAndNextStartResumes()
    {
        await using var hub = await HubProcess.StartAsync();
        await hub.AddCenterAsync("center-a");
        using var node = await NodeEnvironment.CreateAsync(hub, "node-a", "center-a");
        var content = await DropVideoAsync(node);

        await using (var first = ChildProcess.StartDotnet(Binaries.Node, ["run"], node.Environment))
        {
            await WaitForAsync(async () =>
            {
                await using var db = hub.Db();
                return await db.Transfers.AnyAsync(t => t.ReceivedBytes >= 32L * Chunk);
            }, TimeSpan.FromMinutes(2));
            var exit = await first.TerminateAsync(TimeSpan.FromSeconds(45));
            Assert.True(exit == 0, first.Output);
        }

        // The hub records what the stream brought once it sees the stream end, which can be a moment after the node
        // has exited: the offset is read after that, or the next call may start past it.
        await WaitForAsync(() => Task.FromResult(hub.Output.Contains(" interrupted at ", StringComparison.Ordinal)), TimeSpan.FromSeconds(30));
        long resumedAt;
        await using (var db = hub.Db())
        {
            resumedAt = (await db.Transfers.SingleAsync()).ReceivedBytes;
            Assert.Equal(0, await db.UploadJobs.CountAsync());
        }

        await using var second = ChildProcess.StartDotnet(Binaries.Node, ["run"], node.Environment);
        await WaitForAsync(async () =>
        {
            await using var db = hub.Db();
            return await db.UploadJobs.AnyAsync();
        }, TimeSpan.FromMinutes(2));

        await using var check = hub.Db();
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), (await check.UploadJobs.SingleAsync()).ContentHash);
        Assert.Contains($"call from offset {resumedAt} received {content.Length - resumedAt} bytes", hub.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_HubKilledMidUpload_NodeKeepsRunningAndDeliversOnceHubIsBack()
    {
        await using var hub = await HubProcess.StartAsync();
        await hub.AddCenterAsync("center-a");
        using var node = await NodeEnvironment.CreateAsync(hub, "node-a", "center-a");
        var content = await DropVideoAsync(node);

        await using var run = ChildProcess.StartDotnet(Binaries.Node, ["run"], node.Environment);
        await WaitForAsync(async () =>
        {
            await using var db = hub.Db();
            return await db.Transfers.AnyAsync(t => t.ReceivedBytes >= 16L * Chunk);
        }, TimeSpan.FromMinutes(2));

        // The connection breaks under the streaming Upload: the node retries, it does not stop.
        await hub.KillAsync();
        await hub.RestartAsync();
        await WaitForAsync(async () =>
        {
            Assert.False(run.HasExited, "lxa-node run exited:\n" + run.Output);
            await using var db = hub.Db();
            return await db.UploadJobs.AnyAsync();
        }, TimeSpan.FromMinutes(3));

        await using var check = hub.Db();
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), (await check.UploadJobs.SingleAsync()).ContentHash);
        Assert.False(run.HasExited, run.Output);
    }

    /// <summary>A 256 MiB video in the node's <c>import/video_import</c>; returns its bytes.</summary>
    private static async Task<byte[]> DropVideoAsync(NodeEnvironment node)
    {
        var folder = Directory.CreateDirectory(node.Root.Combine("import", "video_import")).FullName;
        var content = RandomNumberGenerator.GetBytes(256 * Chunk);

        // The watcher takes what its bytes say is a video (here a 24-byte ftyp box).
        "\0\0\0\u0018ftypisom\0\0\u0002\0isomiso2"u8.CopyTo(content);
        await File.WriteAllBytesAsync(Path.Combine(folder, "exam.mp4"), content);
        return content;
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"condition not met within {timeout}");
            await Task.Delay(50);
        }
    }

    [GeneratedRegex(@"(?:received (?<bytes>\d+) bytes$|\((?<bytes>\d+) received in this call\))", RegexOptions.Multiline)]
    private static partial Regex ReceivedPerCall();
}
