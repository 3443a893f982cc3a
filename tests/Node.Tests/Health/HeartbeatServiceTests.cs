using System.Collections.Concurrent;
using System.Security.Cryptography;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using LxAnnotate.Node.Health;
using LxAnnotate.Node.Hosting;
using LxAnnotate.Node.Outbox;
using LxAnnotate.Node.PythonEraHub;
using LxAnnotate.Node.Sync;
using LxAnnotate.Node.Tests.Support;
using LxAnnotate.Shared.Configuration;
using LxAnnotate.Shared.Protos.V1;
using LxAnnotate.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace LxAnnotate.Node.Tests.Health;

/// <summary>
/// <see cref="HeartbeatService"/> against an in-process gRPC server on a Unix socket standing in for the hub: one that
/// takes heartbeats, and one that predates them (UNIMPLEMENTED), against which the node goes on sending artifacts.
/// </summary>
public sealed class HeartbeatServiceTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly TempDirectory temp = new();
    private readonly NodeSettings settings;
    private readonly DataPaths paths;

    public HeartbeatServiceTests()
    {
        paths = RuntimeSettingsResolver.Resolve(name => name == "LX_ANNOTATE_ENCRYPTED_DATA_DIR" ? temp.Path : null).Paths;
        settings = new NodeSettings
        {
            HubSocketPath = temp.Combine("hub.sock"),
            OutboxDir = temp.Combine("node", "outbox"),
            OutboxDatabase = temp.Combine("node", "outbox.sqlite3"),
        };
    }

    [Fact]
    public async Task Run_HubTakesHeartbeats_ReportsOutboxQuarantineErrorClassAndVersion_OnStartAndEveryInterval()
    {
        var outbox = await TestOutbox.OpenAsync(settings);
        var failed = await AdmitAsync(outbox, "a.mp4");
        var waiting = await AdmitAsync(outbox, "b.mp4");
        await outbox.Store.MarkFailedAsync(failed, "PermissionDenied: center-b is not this node's center", CancellationToken.None);

        // updated_at has millisecond resolution: without a gap both updates can share it and "last" is a tie.
        await Task.Delay(20);
        await outbox.Store.ScheduleRetryAsync(waiting, "Unavailable: the hub is restarting", TimeSpan.Zero, CancellationToken.None);
        Directory.CreateDirectory(paths.QuarantineDir);
        await File.WriteAllTextAsync(Path.Combine(paths.QuarantineDir, "refused.mp4"), "x");
        await File.WriteAllTextAsync(Path.Combine(paths.QuarantineDir, "refused.mp4.reason.json"), "{}");
        var hub = new FakeHub(takesHeartbeats: true);
        await using var server = await FakeHubServer.StartAsync(hub);
        using var connection = server.Connection();
        using var service = Service(connection, outbox, TimeSpan.FromSeconds(1));

        await service.StartAsync(CancellationToken.None);
        await Eventually.TrueAsync(() => hub.Heartbeats.Count >= 2, "a heartbeat on start and one after the interval", Timeout);
        await service.StopAsync(CancellationToken.None);

        var first = hub.Heartbeats.First();
        Assert.Equal(1, first.Outbox.Queued);
        Assert.Equal(1, first.Outbox.Failed);
        Assert.Equal(0, first.Outbox.Done);
        Assert.InRange(first.OldestPendingAgeSeconds, 0, 60);
        Assert.Equal("Unavailable", first.LastErrorClass);
        Assert.Equal(1, first.QuarantineCount);
        Assert.Equal(NodeStateReader.Version, first.Version);
        Assert.False(string.IsNullOrEmpty(first.Version));
        Assert.Empty(first.NodeKey);
        Assert.InRange(first.SentAt.ToDateTimeOffset(), DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task Run_HubPredatesHeartbeats_StopsSendingThemAndTheNodeGoesOnDelivering()
    {
        var outbox = await TestOutbox.OpenAsync(settings);
        var hub = new FakeHub(takesHeartbeats: false);
        await using var server = await FakeHubServer.StartAsync(hub);
        using var connection = server.Connection();
        using var service = Service(connection, outbox, TimeSpan.FromSeconds(1));

        await service.StartAsync(CancellationToken.None);
        await service.ExecuteTask!.WaitAsync(Timeout);
        var content = RandomNumberGenerator.GetBytes(1000);
        var receipt = await connection.Client.DeliverAsync(new DeliverRequest
        {
            Offer = new OfferRequest { Sha256 = Convert.ToHexStringLower(SHA256.HashData(content)), Size = content.Length, ContentType = "video/mp4", IdempotencyKey = "k-1" },
            Content = ByteString.CopyFrom(content),
        }, deadline: DateTime.UtcNow.Add(Timeout));
        await service.StopAsync(CancellationToken.None);

        Assert.True(service.ExecuteTask.IsCompletedSuccessfully);
        Assert.Equal(1, hub.HeartbeatCalls);
        Assert.Empty(hub.Heartbeats);
        Assert.Equal("job-k-1", receipt.UploadJobId);
    }

    [Fact]
    public async Task Run_NodeOnTheLocalSocket_SendsNoHeartbeat()
    {
        var outbox = await TestOutbox.OpenAsync(settings);
        var hub = new FakeHub(takesHeartbeats: true);
        await using var server = await FakeHubServer.StartAsync(hub);
        using var connection = server.Connection();
        var reader = new NodeStateReader(outbox.Store, new OutboxDatabase(settings), paths, TimeProvider.System);
        using var service = new HeartbeatService(new HeartbeatSettings(TimeSpan.FromSeconds(1)), settings, PythonEraHubSettings.Disabled, connection, reader,
            NullLogger<HeartbeatService>.Instance);

        await service.StartAsync(CancellationToken.None);
        await service.ExecuteTask!.WaitAsync(Timeout);
        await service.StopAsync(CancellationToken.None);

        Assert.Equal(0, hub.HeartbeatCalls);
    }

    public void Dispose() => temp.Dispose();

    /// <summary>A service that believes it has a remote hub (it has an identity to report) but talks to the socket.</summary>
    private HeartbeatService Service(HubConnection connection, TestOutbox outbox, TimeSpan interval)
    {
        var reader = new NodeStateReader(outbox.Store, new OutboxDatabase(settings), paths, TimeProvider.System);
        var remote = settings with { HubUrl = new Uri("https://hub.test:8444") };
        return new HeartbeatService(new HeartbeatSettings(interval), remote, PythonEraHubSettings.Disabled, connection, reader, NullLogger<HeartbeatService>.Instance);
    }

    private async Task<Guid> AdmitAsync(TestOutbox outbox, string name)
    {
        var drop = Directory.CreateDirectory(temp.Combine("import", "video_import")).FullName;
        var file = Path.Combine(drop, name);
        await File.WriteAllBytesAsync(file, RandomNumberGenerator.GetBytes(100));
        var (_, id) = await outbox.Intake.AdmitAsync(new OutboxArtifact(file, "video/mp4", "watcher.video_import", null, "endoscopy", null), TakeMode.Move, CancellationToken.None);
        return id;
    }

    private sealed class FakeHub(bool takesHeartbeats) : Transfer.TransferBase
    {
        private int heartbeatCalls;

        public ConcurrentQueue<HeartbeatRequest> Heartbeats { get; } = new();

        public int HeartbeatCalls => Volatile.Read(ref heartbeatCalls);

        public override async Task<HeartbeatReply> Heartbeat(HeartbeatRequest request, ServerCallContext context)
        {
            Interlocked.Increment(ref heartbeatCalls);
            if (!takesHeartbeats)
            {
                return await base.Heartbeat(request, context);
            }

            Heartbeats.Enqueue(request);
            return new HeartbeatReply { ReceivedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow) };
        }

        public override Task<UploadReply> Deliver(DeliverRequest request, ServerCallContext context) => Task.FromResult(new UploadReply
        {
            UploadJobId = $"job-{request.Offer.IdempotencyKey}",
            Created = true,
            Size = request.Offer.Size,
            Sha256 = request.Offer.Sha256,
            Status = "pending",
        });
    }
}
