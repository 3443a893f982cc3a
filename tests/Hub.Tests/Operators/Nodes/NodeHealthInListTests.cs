using System.Text.Json;
using LxAnnotate.Hub.Cli;
using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Operators;
using LxAnnotate.Hub.Tests.Support;
using LxAnnotate.TestSupport;

namespace LxAnnotate.Hub.Tests.Operators.Nodes;

/// <summary><c>nodes list</c> and <c>nodes show</c> with each node's latest heartbeat.</summary>
public sealed class NodeHealthInListTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    public static TheoryData<TestDatabaseKind> Databases() => new() { TestDatabaseKind.Sqlite, TestDatabaseKind.PostgreSql };

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task ListAndShow_NodeWithAndWithoutHeartbeat_LastSeenAndHealthShown(TestDatabaseKind kind)
    {
        await using var h = await OperatorHarness.CreateAsync(kind);
        await h.AddCenterAsync("center-a");
        await h.AddNodeAsync("site-a");
        await h.AddNodeAsync("site-b");
        var seen = h.Clock.Now.AddMinutes(-3);
        await h.WithDbAsync(async db =>
        {
            var node = db.NetworkNodes.Single(n => n.NodeKey == "site-a");
            db.NodeHealthReports.Add(new NodeHealthReport
            {
                NodeId = node.Id, ReceivedAt = seen, SentAt = seen.AddSeconds(2), ClockOffsetMs = 2000, OutboxQueued = 3, OutboxDone = 40,
                OldestPendingAgeSeconds = 95, LastErrorClass = "Unavailable", QuarantineCount = 1, NodeVersion = "1.0.0", CertificateThumbprint = new string('A', 64),
            });
            return await db.SaveChangesAsync();
        });

        var listed = await h.RunAsync(s => s.ListNodesAsync(null, None));
        var shown = await h.RunAsync(s => s.ShowNodeAsync("site-a", None));

        Assert.Null(listed.Single(n => n.NodeKey == "site-b").Health);
        var health = listed.Single(n => n.NodeKey == "site-a").Health!;
        Assert.Equal((seen, 3L, 40L, 95L, "Unavailable", 1L, 2000L, "1.0.0"),
            (health.LastSeen, health.OutboxQueued, health.OutboxDone, health.OldestPendingAgeSeconds, health.LastErrorClass, health.QuarantineCount, health.ClockOffsetMs, health.Version));
        Assert.Equal(health, shown.Health);

        using var text = new StringWriter();
        OperatorText.Nodes(listed, text);
        Assert.Contains($"last seen {OperatorText.Time(seen)}  outbox queued 3,", text.ToString(), StringComparison.Ordinal);
        Assert.Contains("last error Unavailable  clock offset 2000 ms", text.ToString(), StringComparison.Ordinal);
        Assert.Contains("last seen: never", text.ToString(), StringComparison.Ordinal);
        using var json = JsonDocument.Parse(JsonSerializer.Serialize(shown, OperatorJson.Default.NodeView));
        Assert.Equal(3, json.RootElement.GetProperty("health").GetProperty("outbox_queued").GetInt64());
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Show_UnknownNode_Refused(TestDatabaseKind kind)
    {
        await using var h = await OperatorHarness.CreateAsync(kind);

        var refusal = await h.RefusedAsync(s => s.ShowNodeAsync("site-x", None));

        Assert.Equal(OperatorErrorKind.UnknownNode, refusal.Kind);
    }
}
