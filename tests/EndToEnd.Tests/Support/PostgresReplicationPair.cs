using System.Globalization;
using LxAnnotate.TestSupport;
using Npgsql;

namespace LxAnnotate.EndToEnd.Tests.Support;

/// <summary>
/// Two PostgreSQL clusters of their own on loopback, apart from the test cluster: a primary and a streaming standby
/// made from it with <c>pg_basebackup -R</c>, replicating synchronously (every commit the primary acknowledges is
/// flushed on the standby). Run as the <c>postgres</c> user when the tests run as root, as <c>initdb</c> requires.
/// Both are stopped and their directories removed on dispose, whatever happened before.
/// </summary>
internal sealed class PostgresReplicationPair : IAsyncDisposable
{
    private readonly TempDirectory root;

    private PostgresReplicationPair(TempDirectory root, int primaryPort, int standbyPort)
    {
        this.root = root;
        PrimaryPort = primaryPort;
        StandbyPort = standbyPort;
    }

    public int PrimaryPort { get; }

    public int StandbyPort { get; }

    private string PrimaryDir => root.Combine("primary");

    private string StandbyDir => root.Combine("standby");

    private string Sockets => root.Combine("sockets");

    /// <summary>The servers' logs, outside the data directories (pg_basebackup would copy the primary's).</summary>
    private string Logs => root.Combine("logs");

    /// <summary><c>DATABASE_URL</c> naming both servers, the primary first, as an operator writes it.</summary>
    public string Url(string database) => string.Create(
        CultureInfo.InvariantCulture, $"postgres://postgres@127.0.0.1:{PrimaryPort},127.0.0.1:{StandbyPort}/{database}?sslmode=disable");

    /// <summary>The same in Npgsql's form, for the test's own contexts.</summary>
    public string ConnectionString(string database) => string.Create(
        CultureInfo.InvariantCulture,
        $"Host=127.0.0.1:{PrimaryPort},127.0.0.1:{StandbyPort};Target Session Attributes=read-write;Username=postgres;Database={database};SSL Mode=Disable;Timeout=10");

    /// <summary>Starts the primary, creates <paramref name="database"/> on it, and a standby streaming from it.</summary>
    public static async Task<PostgresReplicationPair> StartAsync(string database)
    {
        var root = new TempDirectory();
        var pair = new PostgresReplicationPair(root, FreePort.Next(), FreePort.Next());
        try
        {
            await pair.StartPrimaryAsync();
            await using (var connection = new NpgsqlConnection(Direct(pair.PrimaryPort, "postgres")))
            {
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", connection);
                await command.ExecuteNonQueryAsync();
            }

            await pair.StartStandbyAsync();
            return pair;
        }
        catch
        {
            await pair.DisposeAsync();
            throw;
        }
    }

    /// <summary>The primary is lost: stopped in immediate mode (no shutdown checkpoint, sessions cut), as in a crash.</summary>
    public Task StopPrimaryAsync() => PgCtlAsync("-D", PrimaryDir, "-m", "immediate", "-w", "-t", "30", "stop");

    /// <summary>The standby becomes the primary (<c>pg_ctl promote</c>, waiting until it accepts writes).</summary>
    public Task PromoteStandbyAsync() => PgCtlAsync("-D", StandbyDir, "-w", "-t", "60", "promote");

    /// <summary>A connection string to one server only, bypassing the multi-host choice.</summary>
    public static string Direct(int port, string database) => string.Create(
        CultureInfo.InvariantCulture, $"Host=127.0.0.1;Port={port};Username=postgres;Database={database};SSL Mode=Disable;Pooling=false;Timeout=10");

    public async ValueTask DisposeAsync()
    {
        foreach (var dir in new[] { StandbyDir, PrimaryDir })
        {
            if (File.Exists(Path.Combine(dir, "postmaster.pid")))
            {
                try
                {
                    await PgCtlAsync("-D", dir, "-m", "immediate", "-w", "-t", "30", "stop");
                }
                catch (Exception ex) when (ex is Xunit.Sdk.XunitException or TimeoutException)
                {
                    // Already stopped, or not stoppable: the directory goes anyway.
                }
            }
        }

        NpgsqlConnection.ClearAllPools();
        root.Dispose();
    }

    private async Task StartPrimaryAsync()
    {
        File.SetUnixFileMode(root.Path, (UnixFileMode)0b111_101_101);
        Directory.CreateDirectory(PrimaryDir);
        Directory.CreateDirectory(Sockets);
        Directory.CreateDirectory(Logs);
        await PostgresServerTools.OwnAsync(PrimaryDir, Sockets, Logs);
        await PostgresServerTools.AsPostgresAsync("initdb", "-D", PrimaryDir, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8");

        // Synchronous: a commit returns once the standby has flushed it, so a failover loses no acknowledged write.
        await PgCtlAsync("-D", PrimaryDir, "-l", Path.Combine(Logs, "primary.log"), "-w", "-t", "60", "-o",
            string.Create(CultureInfo.InvariantCulture,
                $"-c listen_addresses=127.0.0.1 -p {PrimaryPort} -k {Sockets} -c max_connections=200 -c wal_level=replica -c max_wal_senders=4 -c synchronous_standby_names='*' -c synchronous_commit=on"),
            "start");
    }

    private async Task StartStandbyAsync()
    {
        Directory.CreateDirectory(StandbyDir);
        File.SetUnixFileMode(StandbyDir, (UnixFileMode)0b111_000_000);
        await PostgresServerTools.OwnAsync(StandbyDir);
        await PostgresServerTools.AsPostgresAsync("pg_basebackup",
            "-h", "127.0.0.1", "-p", PrimaryPort.ToString(CultureInfo.InvariantCulture), "-U", "postgres", "-D", StandbyDir, "-R", "-X", "stream", "-c", "fast");
        await PgCtlAsync("-D", StandbyDir, "-l", Path.Combine(Logs, "standby.log"), "-w", "-t", "60", "-o",
            string.Create(CultureInfo.InvariantCulture, $"-c listen_addresses=127.0.0.1 -p {StandbyPort} -k {Sockets} -c max_connections=200"),
            "start");

        // The standby is in place once the primary streams to it synchronously.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        await using var connection = new NpgsqlConnection(Direct(PrimaryPort, "postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming' AND sync_state = 'sync'", connection);
        while (!Equals(await command.ExecuteScalarAsync(), 1L))
        {
            Assert.True(DateTime.UtcNow < deadline, "the standby did not start streaming within 60 s");
            await Task.Delay(100);
        }
    }

    private static Task PgCtlAsync(params string[] arguments) => PostgresServerTools.AsPostgresAsync("pg_ctl", arguments);
}
