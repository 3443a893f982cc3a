using Grpc.Core;
using LxAnnotate.Hub.Data;
using LxAnnotate.Hub.Transfer;
using LxAnnotate.TestSupport;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace LxAnnotate.Hub.Tests.Data;

/// <summary>
/// A connection string naming several hosts (a primary and its standbys) fails in its own ways while a failover is
/// under way: every host down, or none of the living ones the primary yet. Each is an outage a node retries
/// (<c>UNAVAILABLE</c>), never a refusal. The failures are real: ports nothing listens on, and the test cluster, a
/// primary, asked for a standby.
/// </summary>
public sealed class MultiHostOutageTests
{
    [Fact]
    public async Task IsUnavailable_EveryHostRefuses_IsUnavailable()
    {
        await using var connection = new NpgsqlConnection(
            $"Host=127.0.0.1:{ClosedPort()},127.0.0.1:{ClosedPort()};Target Session Attributes=read-write;Username=nobody;Timeout=5");

        var refused = await Assert.ThrowsAnyAsync<NpgsqlException>(() => connection.OpenAsync());

        Assert.True(DbErrors.IsUnavailable(refused), refused.ToString());
        Assert.Equal(StatusCode.Unavailable, TransferErrorInterceptor.Translate(refused)!.StatusCode);
    }

    [Fact]
    public async Task IsUnavailable_NoHostIsThePrimaryYet_IsUnavailable()
    {
        // Asking the test cluster (a primary) for a standby stands in for asking a promoted standby, still remembered
        // as a standby, for the primary: the first open learns each host's state, the second finds no suitable host
        // without trying one.
        var live = new NpgsqlConnectionStringBuilder(PostgresTestDatabase.AdminConnectionString);
        await using var source = NpgsqlDataSource.Create(
            $"Host={live.Host}:{live.Port},127.0.0.1:{ClosedPort()};Target Session Attributes=standby;Username={live.Username};Database={live.Database};Timeout=5");

        var first = await Assert.ThrowsAnyAsync<NpgsqlException>(async () => await source.OpenConnectionAsync());
        var second = await Assert.ThrowsAnyAsync<NpgsqlException>(async () => await source.OpenConnectionAsync());

        Assert.True(DbErrors.IsUnavailable(first), first.ToString());
        Assert.Equal("No suitable host was found.", second.Message);
        Assert.True(DbErrors.IsUnavailable(second), second.ToString());
        Assert.Equal(StatusCode.Unavailable, TransferErrorInterceptor.Translate(second)!.StatusCode);
    }

    [Fact]
    public async Task IsUnavailable_EfCoreQueryWithNoSuitableHost_IsUnavailable()
    {
        var live = new NpgsqlConnectionStringBuilder(PostgresTestDatabase.AdminConnectionString);
        var options = new DbContextOptionsBuilder<PostgresLxaDbContext>()
            .UseNpgsql($"Host={live.Host}:{live.Port},127.0.0.1:{ClosedPort()};Target Session Attributes=standby;Username={live.Username};Database={live.Database};Timeout=5")
            .Options;
        await using var db = new PostgresLxaDbContext(options);

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => db.Centers.CountAsync());

        Assert.True(DbErrors.IsUnavailable(failure), failure.ToString());
    }

    [Fact]
    public void IsUnavailable_OtherNpgsqlErrors_AreNotOutages()
    {
        Assert.False(DbErrors.IsUnavailable(new NpgsqlException("No suitable host was found.", new InvalidOperationException("a bug"))));
        Assert.False(DbErrors.IsUnavailable(new NpgsqlException("Something else went wrong.")));
        Assert.False(DbErrors.IsUnavailable(new AggregateException(new InvalidOperationException("a bug"))));
    }

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
