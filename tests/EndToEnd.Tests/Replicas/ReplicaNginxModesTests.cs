using System.Security.Cryptography;
using Grpc.Core;
using LxAnnotate.EndToEnd.Tests.Support;
using LxAnnotate.Shared.Protos.V1;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.EndToEnd.Tests.Replicas;

/// <summary>
/// Both nginx shapes in front of three real replicas, one of them dead: TLS terminated at nginx (gRPC to the
/// replicas' proxy-mode listeners) and TLS passed through (<c>stream</c>, mTLS ends at the replicas). The real
/// <c>lxa-node</c> pushes through nginx; the node's center is enforced whichever replica answers.
/// </summary>
[Collection(ReplicaTestGroup.Name)]
public sealed class ReplicaNginxModesTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Push_ThroughNginxToThreeReplicasOneDead_StoredInTheNodesCenterAndAnotherCenterRefused(bool passthrough)
    {
        await using var set = await NginxReplicaSet.StartAsync(passthrough, 3);
        await set.First.AddCenterAsync("center-a");
        await set.First.AddCenterAsync("center-b");
        using var node = await NodeEnvironment.CreateAsync(set.First, "node-a", "center-a");
        node.Environment["LXA_NODE_HUB_URL"] = set.NodeUrl;
        foreach (var folder in new[] { "video_import", "report_import", "preanonymized_import" })
        {
            Directory.CreateDirectory(node.Root.Combine("import", folder));
        }

        // A dead replica: nginx tries it, the connection is refused, and the call goes to a live one.
        await set.Replica("replica-2").KillAsync();

        // Each check is a new process and a new connection: three of them meet every replica in the rotation.
        for (var i = 0; i < 3; i++)
        {
            var check = await node.RunAsync("check");
            Assert.True(check.ExitCode == 0, check.StandardOutput + check.StandardError);
        }

        var files = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var path = node.Root.Combine($"case{i}.mp4");
            await File.WriteAllBytesAsync(path, RandomNumberGenerator.GetBytes((2 * 1024 * 1024) + i));
            files.Add(path);
        }

        var push = await node.RunAsync(["push", .. files]);

        Assert.True(push.ExitCode == 0, push.StandardOutput + push.StandardError);
        Assert.Equal(4, push.StandardOutput.Split('\n').Count(l => l.Contains(": delivered, upload job", StringComparison.Ordinal)));
        Assert.Contains("Connection refused", set.Nginx.ErrorLog, StringComparison.Ordinal);

        // nginx moved the refused attempts before passing anything on: the node had nothing to retry.
        Assert.DoesNotContain("not delivered (", push.StandardOutput + push.StandardError, StringComparison.Ordinal);
        await using (var db = set.First.Db())
        {
            var jobs = await db.UploadJobs.Include(j => j.SourceCenter).ToListAsync();
            Assert.Equal(4, jobs.Count);
            Assert.All(jobs, j => Assert.Equal("center-a", j.SourceCenter!.CenterKey));
        }

        Assert.DoesNotContain("is received by replica", set.Replica("replica-2").Output, StringComparison.Ordinal);
        Assert.Contains(set.Replicas, r => r.Output.Contains("is received by replica", StringComparison.Ordinal));

        // An Offer through nginx that claims another center: refused, whichever live replica answers.
        using var certificate = await set.First.AddNodeAsync("node-b", "center-a");
        for (var i = 0; i < 3; i++)
        {
            var content = RandomNumberGenerator.GetBytes(4096);
            var offer = ReplicaOffers.For(content);
            offer.CenterKey = "center-b";
            var refused = await Assert.ThrowsAsync<RpcException>(() =>
                set.First.ClientAt(certificate, set.NodeUrl).OfferAsync(offer, deadline: DateTime.UtcNow.AddSeconds(30)).ResponseAsync);
            Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        }

        await using var after = set.First.Db();
        var centerB = await after.Centers.SingleAsync(c => c.CenterKey == "center-b");
        Assert.Equal(0, await after.Transfers.CountAsync(t => t.CenterId == centerB.Id || t.DeclaredCenterKey == "center-b"));
        Assert.Equal(0, await after.UploadJobs.CountAsync(j => j.SourceCenter!.CenterKey == "center-b"));
    }
}
