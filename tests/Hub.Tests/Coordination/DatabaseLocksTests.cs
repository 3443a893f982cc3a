using LxAnnotate.Hub.Coordination;
using LxAnnotate.TestSupport;

namespace LxAnnotate.Hub.Tests.Coordination;

public sealed class DatabaseLocksTests
{
    [Fact]
    public async Task TryAcquire_HeldByAnotherReplica_RefusedUntilReleased()
    {
        await using var database = await LockDatabase.CreateAsync(TestDatabaseKind.PostgreSql);
        var a = database.Replica("replica-a");
        var b = database.Replica("replica-b");
        var key = LockKeys.Transfer(Guid.NewGuid());

        var held = await LockDatabase.WithLocksAsync(a, l => l.TryAcquireAsync(key, "transfer", CancellationToken.None));
        Assert.NotNull(held);
        Assert.Null(await LockDatabase.WithLocksAsync(b, l => l.TryAcquireAsync(key, "transfer", CancellationToken.None)));
        Assert.Equal("replica-a", await LockDatabase.WithLocksAsync(b, l => l.HolderAsync(key, CancellationToken.None)));

        await held.DisposeAsync();
        await using var taken = await LockDatabase.WithLocksAsync(b, l => l.TryAcquireAsync(key, "transfer", CancellationToken.None));

        Assert.NotNull(taken);
        Assert.Equal("replica-b", await LockDatabase.WithLocksAsync(a, l => l.HolderAsync(key, CancellationToken.None)));
    }

    [Fact]
    public async Task TryAcquire_HolderSessionTerminated_LockFreedAndHolderKnowsIt()
    {
        await using var database = await LockDatabase.CreateAsync(TestDatabaseKind.PostgreSql);
        var a = database.Replica("replica-a");
        var b = database.Replica("replica-b");
        var key = LockKeys.Transfer(Guid.NewGuid());
        await using var held = await LockDatabase.WithLocksAsync(a, l => l.TryAcquireAsync(key, "transfer", CancellationToken.None));
        Assert.NotNull(held);

        // What the server does when the holder's process dies: the session ends.
        Assert.Equal(1L, await database.TerminateSessionsAsync("lxa-hub replica-a transfer"));

        await using var taken = await LockDatabase.WithLocksAsync(b, l => l.TryAcquireAsync(key, "transfer", CancellationToken.None));
        Assert.NotNull(taken);
        Assert.False(await held.StillHeldAsync(CancellationToken.None));
    }

    [Fact]
    public async Task TryAcquire_ReleasedSession_KeptHoldingNothingAndUsedForTheNextLock()
    {
        await using var database = await LockDatabase.CreateAsync(TestDatabaseKind.PostgreSql);
        var a = database.Replica("replica-a");
        var b = database.Replica("replica-b");
        var first = LockKeys.Transfer(Guid.NewGuid());
        var second = LockKeys.Transfer(Guid.NewGuid());

        await (await LockDatabase.WithLocksAsync(a, l => l.TryAcquireAsync(first, "transfer", CancellationToken.None)))!.DisposeAsync();

        Assert.Equal(1L, await database.CountSessionsAsync("lxa-hub replica-a transfer"));
        await using (var taken = await LockDatabase.WithLocksAsync(b, l => l.TryAcquireAsync(first, "transfer", CancellationToken.None)))
        {
            Assert.NotNull(taken);
        }

        await using var next = await LockDatabase.WithLocksAsync(a, l => l.TryAcquireAsync(second, "transfer", CancellationToken.None));
        Assert.NotNull(next);
        Assert.Equal(1L, await database.CountSessionsAsync("lxa-hub replica-a transfer"));
        Assert.Null(await LockDatabase.WithLocksAsync(b, l => l.TryAcquireAsync(second, "transfer", CancellationToken.None)));
    }

    [Fact]
    public async Task TryAcquire_KeptSessionEndedByTheServer_ANewSessionTakesTheLock()
    {
        await using var database = await LockDatabase.CreateAsync(TestDatabaseKind.PostgreSql);
        var a = database.Replica("replica-a");
        var b = database.Replica("replica-b");
        var key = LockKeys.Transfer(Guid.NewGuid());
        await (await LockDatabase.WithLocksAsync(a, l => l.TryAcquireAsync(key, "transfer", CancellationToken.None)))!.DisposeAsync();

        // A restart, a failover or idle_session_timeout ends the kept session.
        Assert.Equal(1L, await database.TerminateSessionsAsync("lxa-hub replica-a transfer"));

        await using var held = await LockDatabase.WithLocksAsync(a, l => l.TryAcquireAsync(key, "transfer", CancellationToken.None));
        Assert.NotNull(held);
        Assert.True(await held.StillHeldAsync(CancellationToken.None));
        Assert.Null(await LockDatabase.WithLocksAsync(b, l => l.TryAcquireAsync(key, "transfer", CancellationToken.None)));
    }

    [Fact]
    public async Task TryAcquire_Sqlite_OneHolderPerProcess()
    {
        await using var database = await LockDatabase.CreateAsync(TestDatabaseKind.Sqlite);
        var hub = database.Replica("standalone");
        var key = LockKeys.Transfer(Guid.NewGuid());

        var held = await LockDatabase.WithLocksAsync(hub, l => l.TryAcquireAsync(key, "transfer", CancellationToken.None));
        Assert.NotNull(held);
        Assert.Null(await LockDatabase.WithLocksAsync(hub, l => l.TryAcquireAsync(key, "transfer", CancellationToken.None)));
        await held.DisposeAsync();
        await held.DisposeAsync();

        await using var again = await LockDatabase.WithLocksAsync(hub, l => l.TryAcquireAsync(key, "transfer", CancellationToken.None));
        Assert.NotNull(again);
    }

    [Fact]
    public void TransferKey_DistinctTransfers_DistinctKeysAndNeverTheLease()
    {
        var ids = Enumerable.Range(0, 1000).Select(_ => Guid.NewGuid()).ToList();
        var keys = ids.Select(LockKeys.Transfer).ToHashSet();

        Assert.Equal(ids.Count, keys.Count);
        Assert.DoesNotContain(LockKeys.SingletonLease, keys);
        Assert.Equal(LockKeys.Transfer(ids[0]), LockKeys.Transfer(ids[0]));
    }
}
