using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Ingest;
using LxAnnotate.Hub.Tests.Support;
using LxAnnotate.Hub.Transfer;
using LxAnnotate.Hub.Transfer.PartialFiles;
using LxAnnotate.Hub.Transfer.Sessions;
using LxAnnotate.Hub.Transfer.Upload;
using LxAnnotate.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LxAnnotate.Hub.Tests.Transfer;

public sealed class TransferReceiverTests
{
    private static readonly CallerIdentity Node = CallerIdentity.ForNode("node-a", "center-a", "AA");

    public static TheoryData<TestDatabaseKind> Databases() => new() { TestDatabaseKind.Sqlite, TestDatabaseKind.PostgreSql };

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task ExpireAbandonedAsync_OpenTransferPastExpiry_IsExpiredAndPartialRemoved(TestDatabaseKind kind)
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var harness = await IngestHarness.CreateAsync(kind, time: clock, transferOptions: new TransferOptions { ExpireAfter = TimeSpan.FromHours(1) });
        await harness.AddCenterAsync("center-a");
        var content = RandomNumberGenerator.GetBytes(4096);
        var offer = await WithAsync<TransferSessions, OfferOutcome>(harness, r => r.OfferAsync(OfferFor(content), Node, CancellationToken.None));
        await Assert.ThrowsAsync<IOException>(() => WithAsync<UploadReceiver, UploadOutcome>(harness, r =>
            r.ReceiveAsync(offer.TransferId!.Value, 0, Node, Interrupted(content, 1000), CancellationToken.None)));
        var partial = With<PartialFileStore, string>(harness, r => r.PartialPath(offer.TransferId!.Value));
        Assert.Equal(1000, new FileInfo(partial).Length);

        clock.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal(0, await WithAsync<AbandonedTransfers, int>(harness, r => r.ExpireAbandonedAsync(CancellationToken.None)));
        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1, await WithAsync<AbandonedTransfers, int>(harness, r => r.ExpireAbandonedAsync(CancellationToken.None)));

        Assert.False(File.Exists(partial));
        var session = await harness.WithDbAsync(db => db.Transfers.SingleAsync());
        Assert.Equal(TransferState.Expired, session.State);
        var reoffer = await WithAsync<TransferSessions, OfferOutcome>(harness, r => r.OfferAsync(OfferFor(content), Node, CancellationToken.None));
        Assert.NotEqual(offer.TransferId, reoffer.TransferId);
        Assert.Equal(0, reoffer.Offset);
    }

    [Fact]
    public async Task ReceiveAsync_BytesBeyondRecordedOffset_AreDroppedOnResume()
    {
        await using var harness = await IngestHarness.CreateAsync(TestDatabaseKind.Sqlite);
        await harness.AddCenterAsync("center-a");
        var content = RandomNumberGenerator.GetBytes(10_000);
        var offer = await WithAsync<TransferSessions, OfferOutcome>(harness, r => r.OfferAsync(OfferFor(content), Node, CancellationToken.None));
        var partial = With<PartialFileStore, string>(harness, r => r.PartialPath(offer.TransferId!.Value));

        // As after a crash between a write and its checkpoint: bytes on disk the database never recorded.
        await File.WriteAllBytesAsync(partial, RandomNumberGenerator.GetBytes(3000));

        var outcome = await WithAsync<UploadReceiver, UploadOutcome>(harness, r => r.ReceiveAsync(offer.TransferId!.Value, 0, Node, Chunks(content, 0), CancellationToken.None));

        Assert.True(outcome.Created);
        Assert.Equal(content, await File.ReadAllBytesAsync(Path.Combine(harness.Settings.Paths.StorageDir, outcome.Job.StoragePath)));
    }

    [Fact]
    public async Task ReceiveAsync_SecondConcurrentUploadOfSameTransfer_IsBusy()
    {
        await using var harness = await IngestHarness.CreateAsync(TestDatabaseKind.Sqlite);
        await harness.AddCenterAsync("center-a");
        var content = RandomNumberGenerator.GetBytes(10_000);
        var offer = await WithAsync<TransferSessions, OfferOutcome>(harness, r => r.OfferAsync(OfferFor(content), Node, CancellationToken.None));
        var release = new TaskCompletionSource();
        var first = WithAsync<UploadReceiver, UploadOutcome>(harness, r => r.ReceiveAsync(offer.TransferId!.Value, 0, Node, Held(content, release.Task), CancellationToken.None));
        await WaitForAsync(() => File.Exists(With<PartialFileStore, string>(harness, r => r.PartialPath(offer.TransferId!.Value))));

        var ex = await Assert.ThrowsAsync<TransferException>(() => WithAsync<UploadReceiver, UploadOutcome>(harness, r =>
            r.ReceiveAsync(offer.TransferId!.Value, 0, Node, Chunks(content, 0), CancellationToken.None)));
        release.SetResult();
        var outcome = await first.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(TransferErrorKind.Busy, ex.Kind);
        Assert.True(outcome.Created);
    }

    [Fact]
    public async Task ReceiveAsync_LockSessionEndsMidStream_StreamEndsWithoutRecordingAndResumes()
    {
        await using var harness = await IngestHarness.CreateAsync(TestDatabaseKind.PostgreSql, transferOptions: new TransferOptions { CheckpointBytes = 1000 });
        await harness.AddCenterAsync("center-a");
        var content = RandomNumberGenerator.GetBytes(10_000);
        var offer = await WithAsync<TransferSessions, OfferOutcome>(harness, r => r.OfferAsync(OfferFor(content), Node, CancellationToken.None));
        var transferId = offer.TransferId!.Value;
        var release = new TaskCompletionSource();
        var first = WithAsync<UploadReceiver, UploadOutcome>(harness, r => r.ReceiveAsync(transferId, 0, Node, HeldAfter(content, 3000, release.Task), CancellationToken.None));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await harness.WithDbAsync(db => db.Transfers.AsNoTracking().SingleAsync())).ReceivedBytes < 2000)
        {
            Assert.True(DateTime.UtcNow < deadline, "no checkpoint within 30 s");
            await Task.Delay(20);
        }

        var recorded = (await harness.WithDbAsync(db => db.Transfers.AsNoTracking().SingleAsync())).ReceivedBytes;

        // The stream's lock session ends (a database restart does this): its next checkpoint must not record.
        await harness.WithDbAsync(db => db.Database.ExecuteSqlRawAsync(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name LIKE 'lxa-hub % transfer' AND datname = current_database()"));
        release.SetResult();
        var ex = await Assert.ThrowsAsync<TransferException>(() => first.WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Equal(TransferErrorKind.Busy, ex.Kind);
        Assert.Equal(recorded, (await harness.WithDbAsync(db => db.Transfers.AsNoTracking().SingleAsync())).ReceivedBytes);
        var outcome = await WithAsync<UploadReceiver, UploadOutcome>(harness, r => r.ReceiveAsync(transferId, recorded, Node, Chunks(content, (int)recorded), CancellationToken.None));
        Assert.Equal(content, await File.ReadAllBytesAsync(Path.Combine(harness.Settings.Paths.StorageDir, outcome.Job.StoragePath)));
    }

    [Fact]
    public async Task ReceiveAsync_TransferOfAnotherNode_IsNotFound()
    {
        await using var harness = await IngestHarness.CreateAsync(TestDatabaseKind.Sqlite);
        await harness.AddCenterAsync("center-a");
        var content = RandomNumberGenerator.GetBytes(100);
        var offer = await WithAsync<TransferSessions, OfferOutcome>(harness, r => r.OfferAsync(OfferFor(content), Node, CancellationToken.None));
        var other = CallerIdentity.ForNode("node-b", "center-a", "BB");

        var ex = await Assert.ThrowsAsync<TransferException>(() => WithAsync<UploadReceiver, UploadOutcome>(harness, r =>
            r.ReceiveAsync(offer.TransferId!.Value, 0, other, Chunks(content, 0), CancellationToken.None)));

        Assert.Equal(TransferErrorKind.NotFound, ex.Kind);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task ExpireAbandonedAsync_TransferLockHeld_SkippedThenExpiredExactlyOnce(TestDatabaseKind kind)
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var harness = await IngestHarness.CreateAsync(kind, time: clock, transferOptions: new TransferOptions { ExpireAfter = TimeSpan.FromMinutes(1) });
        await harness.AddCenterAsync("center-a");
        var content = RandomNumberGenerator.GetBytes(4096);
        var offer = await WithAsync<TransferSessions, OfferOutcome>(harness, r => r.OfferAsync(OfferFor(content), Node, CancellationToken.None));
        var transferId = offer.TransferId!.Value;
        clock.Advance(TimeSpan.FromMinutes(2));

        // A stream of another replica (or this one) holds the transfer: its bytes must not be discarded under it.
        await using (var scope = harness.Services.CreateAsyncScope())
        {
            await using var held = await scope.ServiceProvider.GetRequiredService<TransferLock>().AcquireAsync(transferId, CancellationToken.None);
            Assert.Equal(0, await WithAsync<AbandonedTransfers, int>(harness, r => r.ExpireAbandonedAsync(CancellationToken.None)));
            Assert.Equal(TransferState.Open, (await harness.WithDbAsync(db => db.Transfers.SingleAsync())).State);
        }

        Assert.Equal(1, await WithAsync<AbandonedTransfers, int>(harness, r => r.ExpireAbandonedAsync(CancellationToken.None)));
        Assert.Equal(0, await WithAsync<AbandonedTransfers, int>(harness, r => r.ExpireAbandonedAsync(CancellationToken.None)));
        Assert.Equal(TransferState.Expired, (await harness.WithDbAsync(db => db.Transfers.SingleAsync())).State);
        Assert.Single(harness.Logs.Lines, l => l.EventId == 3006 && l.Message.Contains(transferId.ToString(), StringComparison.Ordinal));
    }

    private static TransferOffer OfferFor(byte[] content) => new()
    {
        Sha256 = Convert.ToHexStringLower(SHA256.HashData(content)),
        SizeBytes = content.Length,
        ContentType = "video/mp4",
        SourceSystem = "endoscopy",
    };

    private static async IAsyncEnumerable<ReadOnlyMemory<byte>> Chunks(byte[] content, int from, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (var i = from; i < content.Length; i += 1024)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Yield();
            yield return content.AsMemory(i, Math.Min(1024, content.Length - i));
        }
    }

    private static async IAsyncEnumerable<ReadOnlyMemory<byte>> Interrupted(byte[] content, int after)
    {
        await Task.Yield();
        yield return content.AsMemory(0, after);
        throw new IOException("The sender went away.");
    }

    private static async IAsyncEnumerable<ReadOnlyMemory<byte>> Held(byte[] content, Task release)
    {
        yield return content.AsMemory(0, 100);
        await release;
        yield return content.AsMemory(100);
    }

    /// <summary>The first <paramref name="before"/> bytes in chunks of 1000, then the rest once <paramref name="release"/> completes.</summary>
    private static async IAsyncEnumerable<ReadOnlyMemory<byte>> HeldAfter(byte[] content, int before, Task release)
    {
        for (var i = 0; i < content.Length; i += 1000)
        {
            if (i == before)
            {
                await release;
            }

            yield return content.AsMemory(i, Math.Min(1000, content.Length - i));
        }
    }

    private static T With<TService, T>(IngestHarness harness, Func<TService, T> action)
        where TService : notnull
    {
        using var scope = harness.Services.CreateScope();
        return action(scope.ServiceProvider.GetRequiredService<TService>());
    }

    private static async Task<T> WithAsync<TService, T>(IngestHarness harness, Func<TService, Task<T>> action)
        where TService : notnull
    {
        await using var scope = harness.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<TService>());
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 30 s");
            await Task.Delay(20);
        }
    }
}
