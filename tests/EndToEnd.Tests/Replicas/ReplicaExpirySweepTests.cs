using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using LxAnnotate.EndToEnd.Tests.Support;
using LxAnnotate.Hub.Domain;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.EndToEnd.Tests.Replicas;

/// <summary>
/// The transfer expiry sweep with two real replicas on one database: one replica holds the lease and expires a
/// transfer once; after a SIGKILL of that replica the other takes the lease and sweeps.
/// </summary>
[Collection(ReplicaTestGroup.Name)]
public sealed class ReplicaExpirySweepTests
{
    [Fact]
    public async Task ExpirySweep_TwoReplicas_ExpiredOnceByTheLeaseHolderAndMovesWhenItIsKilled()
    {
        // One minute of expiry sweeps every 15 s; a test ages its transfers instead of waiting the minute out.
        await using var a = await HubProcess.StartAsync(new Dictionary<string, string?>
        {
            ["LXA_HUB_REPLICA_ID"] = "replica-a",
            ["LXA_HUB_TRANSFER_EXPIRE_MINUTES"] = "1",
        });
        await using var b = await a.StartReplicaAsync("replica-b");
        await a.AddCenterAsync("center-a");
        var certificate = await a.AddNodeAsync("node-a", "center-a");

        string? holderId = null;
        await ReplicaWait.UntilAsync(async () => (holderId = await LeaseHolderAsync(a)) is not null);
        Assert.Equal(holderId, await LeaseHolderAsync(b));
        var (holder, other) = holderId == "replica-a" ? (a, b) : (b, a);

        var first = await OpenAgedTransferAsync(holder, certificate);
        await ReplicaWait.UntilAsync(() => StateIsAsync(a, first, TransferState.Expired));
        // The state is committed before the log line reaches the test through the process's output.
        await ReplicaWait.UntilAsync(() => Task.FromResult(ExpiredLines(holder, first) + ExpiredLines(other, first) > 0));

        Assert.Equal(1, ExpiredLines(holder, first) + ExpiredLines(other, first));
        Assert.Equal(1, ExpiredLines(holder, first));
        Assert.DoesNotContain("holds the singleton lease", other.Output, StringComparison.Ordinal);

        await holder.KillAsync();
        var second = await OpenAgedTransferAsync(other, certificate);
        await ReplicaWait.UntilAsync(() => StateIsAsync(other, second, TransferState.Expired));
        await ReplicaWait.UntilAsync(() => Task.FromResult(ExpiredLines(other, second) > 0));

        Assert.Equal(1, ExpiredLines(other, second));
        Assert.Contains($"Replica {(holderId == "replica-a" ? "replica-b" : "replica-a")} holds the singleton lease", other.Output, StringComparison.Ordinal);
        Assert.Equal(holderId == "replica-a" ? "replica-b" : "replica-a", await LeaseHolderAsync(other));
    }

    /// <summary>An open transfer nobody resumes, last touched two minutes ago.</summary>
    private static async Task<Guid> OpenAgedTransferAsync(HubProcess hub, System.Security.Cryptography.X509Certificates.X509Certificate2 certificate)
    {
        var content = RandomNumberGenerator.GetBytes(1024);
        var offer = await hub.Client(certificate).OfferAsync(ReplicaOffers.For(content), deadline: DateTime.UtcNow.AddSeconds(30));
        var transferId = Guid.Parse(offer.Transfer.TransferId);
        await using var db = hub.Db();
        var aged = DateTimeOffset.UtcNow.AddMinutes(-2);
        Assert.Equal(1, await db.Transfers.Where(t => t.Id == transferId).ExecuteUpdateAsync(s => s.SetProperty(t => t.UpdatedAt, aged)));
        return transferId;
    }

    private static async Task<bool> StateIsAsync(HubProcess hub, Guid transferId, TransferState state)
    {
        await using var db = hub.Db();
        return await db.Transfers.AnyAsync(t => t.Id == transferId && t.State == state);
    }

    private static int ExpiredLines(HubProcess hub, Guid transferId) =>
        hub.Output.Split('\n').Count(l => l.Contains($"Transfer {transferId} expired", StringComparison.Ordinal));

    /// <summary>The lease holder as <c>/readyz</c> of <paramref name="hub"/> names it, or null while nobody holds it.</summary>
    private static async Task<string?> LeaseHolderAsync(HubProcess hub)
    {
        using var http = hub.HttpClient();
        var body = await http.GetFromJsonAsync<JsonElement>(new Uri(hub.ApiUrl, "/readyz"));
        var detail = body.GetProperty("checks").GetProperty("lease").GetProperty("detail").GetString()!;
        const string mine = "held by this replica (";
        const string theirs = "held by replica ";
        return detail.StartsWith(mine, StringComparison.Ordinal) ? detail[mine.Length..^1]
            : detail.StartsWith(theirs, StringComparison.Ordinal) ? detail[theirs.Length..]
            : null;
    }
}
