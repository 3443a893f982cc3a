using System.Security.Cryptography;
using LxAnnotate.EndToEnd.Tests.Support;
using LxAnnotate.Hub.Domain;
using LxAnnotate.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.EndToEnd.Tests.Replicas;

/// <summary>
/// The PostgreSQL primary is lost in the middle of a run and its standby promoted: two real <c>lxa-hub serve</c>
/// replicas and two <c>lxa-hub worker</c> processes on a connection string naming both servers, two real
/// <c>lxa-node</c> pushes, one of them mid-stream in a large file. Nobody is restarted; the rows and files are counted
/// before and after.
/// </summary>
[Collection(ReplicaTestGroup.Name)]
public sealed class DatabaseFailoverTests
{
    private const int MiB = 1024 * 1024;

    [Fact]
    public async Task Push_PrimaryStoppedMidStreamAndStandbyPromoted_PushesCompleteNothingLost()
    {
        await using var pg = await PostgresReplicationPair.StartAsync("lxa");
        await using var a = await HubProcess.StartAsync(
            new Dictionary<string, string?>
            {
                ["LXA_HUB_REPLICA_ID"] = "replica-a",
                ["LXA_HUB_TRANSFER_CHECKPOINT_BYTES"] = MiB.ToString(System.Globalization.CultureInfo.InvariantCulture),

                // The sweep, and with it the lease, ticks every 30 s: the lease (a session on the lost primary) is seen
                // taken again on the new one. Long enough that no transfer paused by the outage expires.
                ["LXA_HUB_TRANSFER_EXPIRE_MINUTES"] = "2",
            },
            externalDatabase: (pg.Url("lxa"), pg.ConnectionString("lxa")));
        await using var b = await a.StartReplicaAsync("replica-b");
        await a.AddCenterAsync("center-a");
        using var nodeA = await NodeEnvironment.CreateAsync(a, "node-a", "center-a");
        using var nodeB = await NodeEnvironment.CreateAsync(b, "node-b", "center-a");
        var sent = new Dictionary<string, byte[]>();
        var filesA = Write(nodeA, sent, ("large-a.mp4", 96 * MiB), ("a1.mp4", 200_000), ("a2.mp4", 3 * MiB));
        var filesB = Write(nodeB, sent, ("large-b.mp4", 48 * MiB), ("b1.mp4", 300_000));
        var lateB = Write(nodeB, sent, ("b-late.mp4", 2 * MiB), ("b-late-small.mp4", 100_000));
        await using var worker1 = ReplicaWorkers.Start(a, leaseSeconds: 60);
        await using var worker2 = ReplicaWorkers.Start(b, leaseSeconds: 60);

        // The failover is to meet running workers: a worker that only starts during the outage is another case.
        await ReplicaWait.UntilAsync(() => Task.FromResult(ReplicaWorkers.Started(worker1) && ReplicaWorkers.Started(worker2)), seconds: 60);

        await using var pushA = ChildProcess.StartDotnet(Binaries.Node, ["push", "--timeout", "300", .. filesA], nodeA.Environment);
        await using var pushB = ChildProcess.StartDotnet(Binaries.Node, ["push", "--timeout", "300", .. filesB], nodeB.Environment);
        await ReplicaWait.UntilAsync(async () =>
        {
            await using var db = a.Db();
            return await db.Transfers.AnyAsync(t => t.SizeBytes == 96 * MiB && t.ReceivedBytes >= 4 * MiB);
        }, seconds: 120);

        // What the primary had committed (and, replicating synchronously, the standby had flushed) when it was lost.
        var (jobsBefore, transfersBefore) = await SnapshotAsync(a);
        await pg.StopPrimaryAsync();

        // A push that starts while there is no primary: its node must be told to wait, not that it is not accepted.
        await using var pushLate = ChildProcess.StartDotnet(Binaries.Node, ["push", "--timeout", "300", .. lateB], nodeB.Environment);
        await Task.Delay(TimeSpan.FromSeconds(3));
        await pg.PromoteStandbyAsync();

        // Nobody restarts anything: both replicas find the new primary on their own.
        foreach (var hub in new[] { a, b })
        {
            await ReplicaWait.UntilAsync(() => ReadyAsync(hub), seconds: 60);
        }

        foreach (var push in new[] { pushA, pushB, pushLate })
        {
            Assert.True(await push.WaitForExitAsync(TimeSpan.FromMinutes(5)) == 0, push.Output);
        }

        await using var db = a.Db();
        var jobs = await db.UploadJobs.AsNoTracking().ToListAsync();
        var transfers = await db.Transfers.AsNoTracking().ToListAsync();

        // Every file stored, with its bytes, once; every row from before the failover still there, no offset gone back.
        var byHash = jobs.GroupBy(j => j.ContentHash).ToDictionary(g => g.Key, g => g.OrderBy(j => j.CreatedAt).ToList());
        Assert.Equal(sent.Keys.Order(StringComparer.Ordinal), byHash.Keys.Order(StringComparer.Ordinal));
        foreach (var copies in byHash.Values)
        {
            // A second job for the same bytes only as the dedup rule allows: a node whose receipt the outage swallowed
            // sends again, and the job it already has is reused unless it has meanwhile ended in error (as these
            // unreadable "videos" do once a worker probes them).
            for (var i = 1; i < copies.Count; i++)
            {
                Assert.Equal(UploadJobStatus.Error, copies[i - 1].Status);
                Assert.True(copies[i - 1].UpdatedAt <= copies[i].CreatedAt, $"job {copies[i].Id} duplicates the still active job {copies[i - 1].Id}");
            }

            Assert.Equal(copies[0].ContentHash, await StoredSha256Async(a, copies[0]));
        }

        Assert.Equal(byHash.Count, Directory.EnumerateFiles(Path.Combine(a.StorageDir, "centers", "center-a"), "*", SearchOption.AllDirectories).Count());
        Assert.Subset(jobs.Select(j => j.Id).ToHashSet(), jobsBefore);
        foreach (var (id, received) in transfersBefore)
        {
            var after = Assert.Single(transfers, t => t.Id == id);
            Assert.True(after.State == TransferState.Completed || after.ReceivedBytes >= received, $"transfer {id}: {received} before, {after.ReceivedBytes} after");
        }

        Assert.All(transfers.Where(t => t.SizeBytes > 10 * MiB), t => Assert.Equal(TransferState.Completed, t.State));
        // During the outage the nodes were told to come back later, never that they are not accepted.
        var nodeLogs = pushA.Output + pushB.Output + pushLate.Output;
        Assert.Contains("(Unavailable: ", nodeLogs, StringComparison.Ordinal);
        Assert.DoesNotContain("Unauthenticated", nodeLogs, StringComparison.Ordinal);
        Assert.DoesNotContain("(Internal: ", nodeLogs, StringComparison.Ordinal);

        // Both replicas and both workers lived through it; the workers finished every job, each once.
        await ReplicaWait.UntilAsync(async () =>
        {
            await using var check = a.Db();
            return await check.UploadJobs.AllAsync(j => j.Status == UploadJobStatus.Error || j.Status == UploadJobStatus.Anonymized);
        }, seconds: 120);
        Assert.False(worker1.HasExited || worker2.HasExited, worker1.Output + worker2.Output);
        Assert.Contains("queue access failed", worker1.Output + worker2.Output, StringComparison.Ordinal);
        var finished = await ReplicaWorkers.FinishedAsync(jobs.Count, worker1, worker2);
        Assert.Equal(jobs.Select(j => j.Id).Order(), finished.Order());
        Assert.True(await ReadyAsync(a) && await ReadyAsync(b));

        // The lease was a session on the lost primary; a replica holds it again on the promoted one.
        await ReplicaWait.UntilAsync(async () => await LeaseHolderSessionsAsync(pg) == 1, seconds: 90);
    }

    private static async Task<long> LeaseHolderSessionsAsync(PostgresReplicationPair pg)
    {
        await using var connection = new Npgsql.NpgsqlConnection(PostgresReplicationPair.Direct(pg.StandbyPort, "lxa"));
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity s USING (pid) WHERE l.locktype = 'advisory' AND l.granted AND s.application_name LIKE 'lxa-hub replica-_ lease'",
            connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<bool> ReadyAsync(HubProcess hub)
    {
        using var http = hub.HttpClient();
        try
        {
            using var ready = await http.GetAsync(new Uri(hub.ApiUrl, "/readyz"));
            return ready.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    private static List<string> Write(NodeEnvironment node, Dictionary<string, byte[]> sent, params (string Name, int Size)[] files)
    {
        var paths = new List<string>();
        foreach (var (name, size) in files)
        {
            var content = RandomNumberGenerator.GetBytes(size);
            var path = node.Root.Combine(name);
            File.WriteAllBytes(path, content);
            sent.Add(Convert.ToHexStringLower(SHA256.HashData(content)), content);
            paths.Add(path);
        }

        return paths;
    }

    private static async Task<(HashSet<Guid> Jobs, Dictionary<Guid, long> Transfers)> SnapshotAsync(HubProcess hub)
    {
        await using var db = hub.Db();
        var jobs = (await db.UploadJobs.AsNoTracking().Select(j => j.Id).ToListAsync()).ToHashSet();
        var transfers = await db.Transfers.AsNoTracking().ToDictionaryAsync(t => t.Id, t => t.ReceivedBytes);
        return (jobs, transfers);
    }

    private static async Task<string> StoredSha256Async(HubProcess hub, UploadJob job)
    {
        var path = Path.Combine(hub.StorageDir, job.StoragePath);
        if (job.StoragePath.EndsWith(".lxenc", StringComparison.Ordinal))
        {
            return await LxAnnotate.Hub.Storage.Encryption.EncryptedFile.Sha256Async(path, hub.KeyRing, job.SizeBytes);
        }

        await using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream));
    }
}
