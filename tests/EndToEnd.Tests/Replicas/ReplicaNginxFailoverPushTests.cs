using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using LxAnnotate.EndToEnd.Tests.Support;
using LxAnnotate.TestSupport;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace LxAnnotate.EndToEnd.Tests.Replicas;

/// <summary>
/// A large <c>lxa-node push</c> through nginx (TLS terminated) to three replicas; the replica receiving it is
/// SIGKILLed at about half way and the node resumes through another one from the durable offset.
/// </summary>
[Collection(ReplicaTestGroup.Name)]
public sealed partial class ReplicaNginxFailoverPushTests(ITestOutputHelper output)
{
    /// <summary>The push's size; the issue's 1 GiB runs from <c>bench/replicas/run.sh</c>.</summary>
    public const string SizeVariable = "LXA_TEST_REPLICA_PUSH_BYTES";

    private const long Checkpoint = 8 * 1024 * 1024;

    /// <summary>
    /// What may come on top of one checkpoint: an fsync starts after the 1 MiB chunk (the node's chunk size) that
    /// crosses each half checkpoint, so each of the two halves may be a chunk longer; the plaintext not yet sealed into an LXENC01
    /// segment (under 1 MiB); the gRPC message being read (1 MiB); Kestrel's HTTP/2 stream window (768 KiB: what
    /// nginx may send before the hub reads it) and nginx's own buffers (tens of KiB).
    /// </summary>
    private const long InFlight = 6 * 1024 * 1024;

    /// <summary>
    /// How far the recorded offset may lag the bytes the hub has sealed: the hub starts an fsync every half
    /// checkpoint in the background while it receives the next half and records an offset once its fsync is done,
    /// so up to one checkpoint is received and not yet recorded (<c>PartialFile.CheckpointIfDueAsync</c>).
    /// </summary>
    private const long NotYetRecorded = Checkpoint;

    [Fact]
    public async Task Push_ServingReplicaKilledHalfWay_ResumedThroughAnotherReplicaOneJobRightBytes()
    {
        var size = long.Parse(Environment.GetEnvironmentVariable(SizeVariable) ?? (256L * 1024 * 1024).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        await using var set = await NginxReplicaSet.StartAsync(passthrough: false, 3, new Dictionary<string, string?>
        {
            ["LXA_HUB_TRANSFER_CHECKPOINT_BYTES"] = Checkpoint.ToString(CultureInfo.InvariantCulture),
        });
        await set.First.AddCenterAsync("center-a");
        using var node = await NodeEnvironment.CreateAsync(set.First, "node-a", "center-a");
        node.Environment["LXA_NODE_HUB_URL"] = set.NodeUrl;
        var file = node.Root.Combine("large.mp4");
        var sha256 = await WriteRandomFileAsync(file, size);

        var push = ProcessRunner.RunDotnetAsync(Binaries.Node, ["push", file], node.Environment, TimeSpan.FromMinutes(20));
        var (serving, transferId) = await ServingReplicaAsync(set, push);
        long durableAtKill = 0;
        await ReplicaWait.UntilAsync(async () => (durableAtKill = await ReceivedAsync(set.First, transferId)) >= size / 2 || push.IsCompleted, seconds: 600);
        Assert.False(push.IsCompleted, "the push ended before half of it was received");
        await serving.KillAsync();
        durableAtKill = await ReceivedAsync(set.First, transferId);
        var result = await push;

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        var resumed = set.Replicas.Where(r => r != serving)
            .Select(r => (Replica: r, Match: ReceivedFrom(transferId).Match(r.Output)))
            .First(r => r.Match.Success && r.Match.Groups[2].Value != "0");
        var resumeOffset = long.Parse(resumed.Match.Groups[2].Value, CultureInfo.InvariantCulture);
        foreach (var line in File.ReadAllLines(set.AccessLog).Where(l => l.Contains("/Upload ", StringComparison.Ordinal)))
        {
            output.WriteLine(line);
        }

        var sent = UploadBytesThroughNginx(set);
        var resent = sent - size;
        output.WriteLine($"size={size} checkpoint={Checkpoint} killed={serving.Environment["LXA_HUB_REPLICA_ID"]} durable_at_kill={durableAtKill} resumed_on={resumed.Match.Groups[1].Value} resume_offset={resumeOffset} upload_bytes_through_nginx={sent} resent={resent}");

        // The resume lost no recorded offset, and the node sent again only what no recorded offset covered yet.
        Assert.True(resumeOffset >= durableAtKill, $"resumed from {resumeOffset}, below the durable {durableAtKill}");
        Assert.InRange(resent, 0, NotYetRecorded + InFlight);
        await using var db = set.First.Db();
        var job = await db.UploadJobs.SingleAsync();
        Assert.Equal(sha256, job.ContentHash);
        Assert.Equal(size, job.SizeBytes);
        Assert.Single(Directory.EnumerateFiles(Path.Combine(set.First.StorageDir, "centers", "center-a"), "*", SearchOption.AllDirectories));
    }

    /// <summary>The replica that logs event 3013 for the push's transfer from offset 0.</summary>
    private static async Task<(HubProcess Replica, Guid TransferId)> ServingReplicaAsync(NginxReplicaSet set, Task<ProcessResult> push)
    {
        (HubProcess Replica, Guid TransferId)? found = null;
        await ReplicaWait.UntilAsync(() =>
        {
            foreach (var replica in set.Replicas)
            {
                var match = ReceivedFromZero().Match(replica.Output);
                if (match.Success)
                {
                    found = (replica, Guid.Parse(match.Groups[1].Value));
                }
            }

            return Task.FromResult(found is not null || push.IsCompleted);
        }, seconds: 300);
        Assert.True(found is not null, "no replica received the push");
        return found.Value;
    }

    private static async Task<long> ReceivedAsync(HubProcess hub, Guid transferId)
    {
        await using var db = hub.Db();
        return await db.Transfers.Where(t => t.Id == transferId).Select(t => t.ReceivedBytes).SingleAsync();
    }

    /// <summary>
    /// What the node sent in all its Upload calls, as nginx counted it (<c>$request_length</c>: headers, gRPC
    /// framing and chunks), less the headers and framing: the bytes of the file sent, counting resent ones twice.
    /// </summary>
    private static long UploadBytesThroughNginx(NginxReplicaSet set)
    {
        var uploads = File.ReadAllLines(set.AccessLog).Where(l => l.Contains("POST /lxannotate.v1.Transfer/Upload ", StringComparison.Ordinal)).ToList();
        var total = uploads.Sum(l => long.Parse(RequestLength().Match(l).Groups[1].Value, CultureInfo.InvariantCulture));

        // Per call at most 1 KiB of headers; per 1 MiB chunk 5 bytes of gRPC prefix and at most 6 of protobuf.
        var framing = (uploads.Count * 1024L) + ((total / (1024 * 1024)) + uploads.Count) * 11;
        return total - framing;
    }

    private static async Task<string> WriteRandomFileAsync(string path, long size)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[4 * 1024 * 1024];
        await using var stream = File.Create(path);
        for (long written = 0; written < size; written += buffer.Length)
        {
            var length = (int)Math.Min(buffer.Length, size - written);
            RandomNumberGenerator.Fill(buffer.AsSpan(0, length));
            hash.AppendData(buffer, 0, length);
            await stream.WriteAsync(buffer.AsMemory(0, length));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static Regex ReceivedFrom(Guid transferId) =>
        new($"Transfer {transferId} is received by replica (\\S+) from offset (\\d+)", RegexOptions.CultureInvariant);

    [GeneratedRegex(@"Transfer ([0-9a-f-]{36}) is received by replica \S+ from offset 0\b", RegexOptions.CultureInvariant)]
    private static partial Regex ReceivedFromZero();

    [GeneratedRegex(@"request_length=(\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex RequestLength();
}
