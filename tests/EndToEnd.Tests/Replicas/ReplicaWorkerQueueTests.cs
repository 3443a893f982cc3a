using System.Security.Cryptography;
using LxAnnotate.EndToEnd.Tests.Support;
using LxAnnotate.Hub.Domain;
using LxAnnotate.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.EndToEnd.Tests.Replicas;

/// <summary>
/// Two <c>lxa-hub worker</c> processes, as on two hosts, share the queue of two replicas on one database: every job
/// is claimed once (<c>FOR UPDATE SKIP LOCKED</c>) and finished once, and both workers take part.
/// </summary>
[Collection(ReplicaTestGroup.Name)]
public sealed class ReplicaWorkerQueueTests
{
    private const int JobsPerNode = 8;

    [Fact]
    public async Task Worker_TwoWorkersTwoReplicas_EachJobClaimedAndFinishedOnceByOneOfThem()
    {
        await using var a = await HubProcess.StartAsync(new Dictionary<string, string?> { ["LXA_HUB_REPLICA_ID"] = "replica-a" });
        await using var b = await a.StartReplicaAsync("replica-b");
        await a.AddCenterAsync("center-a");
        using var nodeA = await NodeEnvironment.CreateAsync(a, "node-a", "center-a");
        using var nodeB = await NodeEnvironment.CreateAsync(b, "node-b", "center-a");
        using var tools = new TempDirectory();
        var paced = ReplicaWorkers.PacedTools(tools.Path, 0.5);
        await using var worker1 = ReplicaWorkers.Start(a, leaseSeconds: 60, paced);
        await using var worker2 = ReplicaWorkers.Start(b, leaseSeconds: 60, paced);
        await ReplicaWait.UntilAsync(() => Task.FromResult(ReplicaWorkers.Started(worker1) && ReplicaWorkers.Started(worker2)), seconds: 60);

        // Unreadable "videos": each job ends as media_integrity_failed after one probe, a final state.
        var pushes = new[] { (Node: nodeA, Prefix: "a"), (Node: nodeB, Prefix: "b") }.Select(n =>
        {
            var files = Enumerable.Range(0, JobsPerNode).Select(i =>
            {
                var path = n.Node.Root.Combine($"{n.Prefix}{i}.mp4");
                File.WriteAllBytes(path, RandomNumberGenerator.GetBytes(50_000 + i));
                return path;
            }).ToList();
            return n.Node.RunAsync(["push", "--timeout", "120", .. files]);
        }).ToList();
        foreach (var push in await Task.WhenAll(pushes))
        {
            Assert.True(push.ExitCode == 0, push.StandardOutput + push.StandardError);
        }

        await ReplicaWait.UntilAsync(async () =>
        {
            await using var db = a.Db();
            return await db.UploadJobs.CountAsync(j => j.Status == UploadJobStatus.Error) == 2 * JobsPerNode;
        }, seconds: 180);

        await using var check = a.Db();
        var jobs = await check.UploadJobs.AsNoTracking().ToListAsync();
        Assert.Equal(2 * JobsPerNode, jobs.Count);
        Assert.All(jobs, j => Assert.Equal((1L, 0, UploadJobErrorCode.MediaIntegrityFailed), (j.ProcessingLeaseToken, j.RetryCount, j.ErrorCode!.Value)));
        var finished = await ReplicaWorkers.FinishedAsync(jobs.Count, worker1, worker2);
        var first = ReplicaWorkers.Finished(worker1);
        var second = ReplicaWorkers.Finished(worker2);
        Assert.Equal(jobs.Select(j => j.Id).Order(), finished.Order());
        Assert.NotEmpty(first);
        Assert.NotEmpty(second);
    }
}
