using Grpc.Core;
using LxAnnotate.Hub.Data;
using LxAnnotate.Hub.Storage;
using LxAnnotate.Hub.Transfer;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace LxAnnotate.Hub.Tests.Transfer;

/// <summary>
/// The hub's own outages are told apart from refusals and from bugs: a full storage is <c>RESOURCE_EXHAUSTED</c>
/// and an unreachable database <c>UNAVAILABLE</c>, each naming the outage (a node retries both and keeps the
/// artifact); anything else stays an internal error. The failures are real ones: a write to <c>/dev/full</c>
/// (ENOSPC) and connections to a port nothing listens on.
/// </summary>
public sealed class HubOutageTranslationTests
{
    [Fact]
    public async Task Translate_WriteOnAFullDevice_IsResourceExhaustedNamingTheFullStorage()
    {
        var full = await Assert.ThrowsAnyAsync<IOException>(() => File.WriteAllBytesAsync("/dev/full", new byte[4096]));

        var rpc = TransferErrorInterceptor.Translate(full);

        Assert.True(StorageFull.Is(full));
        Assert.NotNull(rpc);
        Assert.Equal(StatusCode.ResourceExhausted, rpc.StatusCode);
        Assert.Contains("storage is full", rpc.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("No space left on device", rpc.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Translate_DatabaseConnectionRefused_IsUnavailableNamingTheDatabase()
    {
        await using var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={ClosedPort()};Username=nobody;Timeout=5");
        var refused = await Assert.ThrowsAnyAsync<NpgsqlException>(() => connection.OpenAsync());

        var rpc = TransferErrorInterceptor.Translate(refused);

        Assert.True(DbErrors.IsUnavailable(refused));
        Assert.NotNull(rpc);
        Assert.Equal(StatusCode.Unavailable, rpc.StatusCode);
        Assert.Contains("database is unavailable", rpc.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IsUnavailable_EfCoreQueryAgainstAStoppedServer_SeesThroughTheExecutionStrategy()
    {
        var options = new DbContextOptionsBuilder<PostgresLxaDbContext>()
            .UseNpgsql($"Host=127.0.0.1;Port={ClosedPort()};Username=nobody;Database=lxa;Timeout=5", o => o.EnableRetryOnFailure(1, TimeSpan.FromMilliseconds(50), null))
            .Options;
        await using var db = new PostgresLxaDbContext(options);

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => db.Centers.CountAsync());

        Assert.True(DbErrors.IsUnavailable(failure), failure.ToString());
        Assert.Equal(StatusCode.Unavailable, TransferErrorInterceptor.Translate(failure)!.StatusCode);
    }

    [Fact]
    public void Translate_OtherIoErrorsAndBugs_AreNotOutages()
    {
        Assert.Null(TransferErrorInterceptor.Translate(new IOException("broken pipe", 32)));
        Assert.Null(TransferErrorInterceptor.Translate(new InvalidOperationException("a bug")));
        Assert.False(DbErrors.IsUnavailable(new InvalidOperationException("a bug")));
    }

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
