using LxAnnotate.Hub.Coordination;
using LxAnnotate.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace LxAnnotate.Hub.Tests.Coordination;

public sealed class SingletonLeaseTests
{
    [Fact]
    public async Task HoldAsync_TwoReplicas_ExactlyOneHoldsAndItMovesWhenTheHolderStops()
    {
        await using var database = await LockDatabase.CreateAsync(TestDatabaseKind.PostgreSql);
        var a = database.Replica("replica-a");
        var b = database.Replica("replica-b");
        var leaseA = a.GetRequiredService<SingletonLease>();
        var leaseB = b.GetRequiredService<SingletonLease>();

        Assert.True(await leaseA.HoldAsync(CancellationToken.None));
        Assert.False(await leaseB.HoldAsync(CancellationToken.None));
        Assert.True(await leaseA.HoldAsync(CancellationToken.None));
        Assert.False(await leaseB.HoldAsync(CancellationToken.None));
        Assert.True(leaseA.Held);
        Assert.False(leaseB.Held);

        await leaseA.DisposeAsync();

        Assert.True(await leaseB.HoldAsync(CancellationToken.None));
        Assert.Equal("replica-b", await LockDatabase.WithLocksAsync(a, l => l.HolderAsync(LockKeys.SingletonLease, CancellationToken.None)));
    }

    [Fact]
    public async Task HoldAsync_HolderSessionEnded_HolderLosesItAndTheOtherTakesIt()
    {
        await using var database = await LockDatabase.CreateAsync(TestDatabaseKind.PostgreSql);
        var leaseA = database.Replica("replica-a").GetRequiredService<SingletonLease>();
        var leaseB = database.Replica("replica-b").GetRequiredService<SingletonLease>();
        Assert.True(await leaseA.HoldAsync(CancellationToken.None));

        Assert.Equal(1L, await database.TerminateSessionsAsync("lxa-hub replica-a lease"));

        Assert.True(await leaseB.HoldAsync(CancellationToken.None));
        Assert.False(await leaseA.HoldAsync(CancellationToken.None));
        Assert.False(leaseA.Held);
    }

    [Fact]
    public async Task HoldAsync_Sqlite_TheOneProcessHoldsIt()
    {
        await using var database = await LockDatabase.CreateAsync(TestDatabaseKind.Sqlite);
        var lease = database.Replica("standalone").GetRequiredService<SingletonLease>();

        Assert.True(await lease.HoldAsync(CancellationToken.None));
        Assert.True(await lease.HoldAsync(CancellationToken.None));
    }
}
