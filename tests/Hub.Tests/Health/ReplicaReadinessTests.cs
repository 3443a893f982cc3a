using System.Net;
using System.Text.Json;
using LxAnnotate.Hub.Tests.Support;

namespace LxAnnotate.Hub.Tests.Health;

/// <summary>/readyz of one replica on PostgreSQL: its name, a writable primary, and whether it holds the singleton lease.</summary>
public sealed class ReplicaReadinessTests
{
    [Fact]
    public async Task Readyz_CentralHubOnPrimary_NamesReplicaReadWriteDatabaseAndLeaseHolder()
    {
        await using var hub = await HubTestHost.CentralHubAsync(new Dictionary<string, string?> { ["LXA_HUB_REPLICA_ID"] = "hub-test-1" });

        // The expiry service takes the lease at its first tick, right after start.
        var body = await ReadyzAsync(hub);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (body.GetProperty("checks").GetProperty("lease").GetProperty("detail").GetString()!.StartsWith("not held", StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, "the lease was not taken within 30 s");
            await Task.Delay(50);
            body = await ReadyzAsync(hub);
        }

        var checks = body.GetProperty("checks");
        Assert.Equal("ready", body.GetProperty("status").GetString());
        Assert.Equal("hub-test-1", body.GetProperty("replica").GetString());
        Assert.Equal("reachable, read-write", checks.GetProperty("database").GetProperty("detail").GetString());
        Assert.True(checks.GetProperty("lease").GetProperty("ok").GetBoolean());
        Assert.Equal("held by this replica (hub-test-1)", checks.GetProperty("lease").GetProperty("detail").GetString());
    }

    private static async Task<JsonElement> ReadyzAsync(HubTestHost hub)
    {
        using var response = await hub.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await HubTestHost.JsonAsync(response);
    }
}
