using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using LxAnnotate.Hub.Authentication;
using LxAnnotate.Hub.NodeHealth;
using LxAnnotate.Hub.Tests.Support;
using LxAnnotate.Shared.Protos.V1;
using LxAnnotate.TestSupport;
using Microsoft.EntityFrameworkCore;
using static LxAnnotate.Hub.Tests.Support.TransferClientExtensions;

namespace LxAnnotate.Hub.Tests.NodeHealth;

/// <summary><c>Transfer.Heartbeat</c> over real mTLS on loopback: the latest state per node, the node taken from its certificate.</summary>
public sealed class HeartbeatTests
{
    public static TheoryData<TestDatabaseKind> Databases() => new() { TestDatabaseKind.Sqlite, TestDatabaseKind.PostgreSql };

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Heartbeat_TwoNodes_HubKeepsTheLatestStateOfEach(TestDatabaseKind kind)
    {
        await using var hub = await TransferHub.StartAsync(centralHub: kind == TestDatabaseKind.PostgreSql);
        await hub.AddCenterAsync("center-a");
        var certificateA = await hub.AddNodeAsync("node-a", "center-a");
        var nodeA = hub.Client(certificateA);
        var nodeB = hub.Client(await hub.AddNodeAsync("node-b", "center-a"));

        await nodeA.HeartbeatAsync(Beat(queued: 5, errorClass: "Unavailable"));
        var reply = await nodeA.HeartbeatAsync(Beat(queued: 2, errorClass: "", nodeKey: "node-a", ahead: TimeSpan.FromMinutes(10)));
        await nodeB.HeartbeatAsync(Beat(queued: 7, errorClass: "connection_lost"));

        var rows = await hub.WithDbAsync(db => db.NodeHealthReports.Include(h => h.Node).AsNoTracking().ToListAsync());
        Assert.Equal(2, rows.Count);
        var a = rows.Single(r => r.Node!.NodeKey == "node-a");
        Assert.Equal((2L, 1L, 3L, 9L, 4L, 120L, 2L), (a.OutboxQueued, a.OutboxOffered, a.OutboxUploading, a.OutboxDone, a.OutboxFailed, a.OldestPendingAgeSeconds, a.QuarantineCount));
        Assert.Null(a.LastErrorClass);
        Assert.Equal("1.2.3-test", a.NodeVersion);
        Assert.Equal(NodeCertificateAuthentication.Sha256Thumbprint(certificateA), a.CertificateThumbprint);

        // Ten minutes ahead, give or take the call's latency and the database's timestamp precision.
        Assert.InRange(a.ClockOffsetMs, 590_000, 610_000);
        Assert.Equal(a.ClockOffsetMs, reply.ClockOffsetMs, tolerance: 1);
        Assert.Equal(7, rows.Single(r => r.Node!.NodeKey == "node-b").OutboxQueued);
        Assert.Equal("connection_lost", rows.Single(r => r.Node!.NodeKey == "node-b").LastErrorClass);

        var latest = await hub.WithDbAsync(db => db.LatestHealthAsync(rows.Select(r => r.NodeId).ToList(), CancellationToken.None));
        Assert.Equal(a.ReceivedAt, latest[a.NodeId].LastSeen);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Heartbeat_NamingAnotherNode_PermissionDeniedAndNothingStored(TestDatabaseKind kind)
    {
        await using var hub = await TransferHub.StartAsync(centralHub: kind == TestDatabaseKind.PostgreSql);
        await hub.AddCenterAsync("center-a");
        var nodeA = hub.Client(await hub.AddNodeAsync("node-a", "center-a"));
        await hub.AddNodeAsync("node-b", "center-a");

        var ex = await ExpectRpcErrorAsync(() => nodeA.HeartbeatAsync(Beat(queued: 1, errorClass: "", nodeKey: "node-b")).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
        Assert.Equal(0, await hub.WithDbAsync(db => db.NodeHealthReports.CountAsync()));
    }

    [Fact]
    public async Task Heartbeat_RevokedCertificateOrLocalSocket_RefusedAndNothingStored()
    {
        await using var hub = await TransferHub.StartAsync();
        await hub.AddCenterAsync("center-a");
        var revoked = hub.Client(await hub.AddNodeAsync("node-r", "center-a", revoked: true));

        var unauthenticated = await ExpectRpcErrorAsync(() => revoked.HeartbeatAsync(Beat(queued: 1, errorClass: "")).ResponseAsync);
        var local = await ExpectRpcErrorAsync(() => hub.LocalClient().HeartbeatAsync(Beat(queued: 1, errorClass: "")).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, unauthenticated.StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, local.StatusCode);
        Assert.Equal(0, await hub.WithDbAsync(db => db.NodeHealthReports.CountAsync()));
    }

    [Theory]
    [InlineData("Unavailable: the hub at /import/Mustermann.mp4", "")]
    [InlineData("", "Mustermann\nMax")]
    [InlineData("", "")]
    public async Task Heartbeat_TextThatIsNotAClassOrVersion_InvalidArgument(string errorClass, string version)
    {
        await using var hub = await TransferHub.StartAsync();
        await hub.AddCenterAsync("center-a");
        var node = hub.Client(await hub.AddNodeAsync("node-a", "center-a"));
        var beat = Beat(queued: 1, errorClass: errorClass);
        beat.Version = version;
        if (errorClass.Length == 0 && version.Length == 0)
        {
            beat.SentAt = null;
        }

        var ex = await ExpectRpcErrorAsync(() => node.HeartbeatAsync(beat).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Equal(0, await hub.WithDbAsync(db => db.NodeHealthReports.CountAsync()));
    }

    private static HeartbeatRequest Beat(long queued, string errorClass, string nodeKey = "", TimeSpan ahead = default) => new()
    {
        NodeKey = nodeKey,
        SentAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow + ahead),
        Outbox = new OutboxCounts { Queued = queued, Offered = 1, Uploading = 3, Done = 9, Failed = 4 },
        OldestPendingAgeSeconds = 120,
        LastErrorClass = errorClass,
        QuarantineCount = 2,
        Version = "1.2.3-test",
    };
}
