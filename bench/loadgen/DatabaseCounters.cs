using Npgsql;

namespace LxAnnotate.Bench.LoadGen;

/// <summary>
/// What the database did for one database of the cluster: transactions, rows written, its size and, when the
/// cluster preloads <c>pg_stat_statements</c>, the statements executed (BEGIN and COMMIT included).
/// </summary>
internal sealed record DatabaseCounters(long Transactions, long RowsWritten, long SizeBytes, long? Statements, double PostgresCpuSeconds)
{
    public static async Task<DatabaseCounters> ReadAsync(string connectionString, int postmasterPid)
    {
        // The server publishes a backend's counters when it goes idle (at most once a second).
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var stats = new NpgsqlCommand(
            "SELECT xact_commit + xact_rollback, tup_inserted + tup_updated + tup_deleted, pg_database_size(datname) " +
            "FROM pg_stat_database WHERE datname = current_database()", connection);
        await using var reader = await stats.ExecuteReaderAsync();
        await reader.ReadAsync();
        var (transactions, rows, size) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
        await reader.CloseAsync();
        return new DatabaseCounters(transactions, rows, size, await StatementsAsync(connection), ProcessCpu.TreeSeconds(postmasterPid));
    }

    /// <summary>The postmaster of the cluster behind <paramref name="connectionString"/> (it runs on this host: loopback).</summary>
    public static async Task<int> PostmasterPidAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT pg_backend_pid()", connection);
        var backend = (int)(await command.ExecuteScalarAsync())!;
        var stat = await File.ReadAllTextAsync($"/proc/{backend}/stat");
        return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    public DatabaseCounters Since(DatabaseCounters before) => new(
        Transactions - before.Transactions,
        RowsWritten - before.RowsWritten,
        SizeBytes - before.SizeBytes,
        Statements - before.Statements,
        PostgresCpuSeconds - before.PostgresCpuSeconds);

    private static async Task<long?> StatementsAsync(NpgsqlConnection connection)
    {
        try
        {
            await using (var create = new NpgsqlCommand("CREATE EXTENSION IF NOT EXISTS pg_stat_statements", connection))
            {
                await create.ExecuteNonQueryAsync();
            }

            await using var calls = new NpgsqlCommand(
                "SELECT coalesce(sum(calls), 0)::bigint FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())",
                connection);
            return (long)(await calls.ExecuteScalarAsync())!;
        }
        catch (PostgresException)
        {
            return null; // not preloaded: bench/loadgen/run.sh starts a cluster that preloads it
        }
    }
}
