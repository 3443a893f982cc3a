using Npgsql;

namespace LxAnnotate.Bench.LoadGen;

/// <summary>
/// What the database did for one database of the cluster: transactions, rows written, its size and, when the
/// cluster preloads <c>pg_stat_statements</c>, the statements executed (BEGIN and COMMIT included).
/// </summary>
internal sealed record DatabaseCounters(
    long Transactions, long RowsWritten, long SizeBytes, long? Statements, double PostgresCpuSeconds, IReadOnlyDictionary<string, long> CallsByStatement)
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
        var calls = await CallsByStatementAsync(connection);
        return new DatabaseCounters(transactions, rows, size, calls?.Values.Sum(), ProcessCpu.TreeSeconds(postmasterPid), calls ?? new Dictionary<string, long>());
    }

    /// <summary>The postmaster of the cluster behind <paramref name="connectionString"/> (it runs on this host: loopback).</summary>
    public static async Task<int> PostmasterPidAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT pg_backend_pid()", connection);
        return ProcessCpu.ParentOf((int)(await command.ExecuteScalarAsync())!);
    }

    public DatabaseCounters Since(DatabaseCounters before) => new(
        Transactions - before.Transactions,
        RowsWritten - before.RowsWritten,
        SizeBytes - before.SizeBytes,
        Statements - before.Statements,
        PostgresCpuSeconds - before.PostgresCpuSeconds,
        CallsByStatement.ToDictionary(c => c.Key, c => c.Value - before.CallsByStatement.GetValueOrDefault(c.Key)));

    /// <summary>Calls per normalized statement text (the first 90 characters), or null without <c>pg_stat_statements</c>.</summary>
    private static async Task<Dictionary<string, long>?> CallsByStatementAsync(NpgsqlConnection connection)
    {
        try
        {
            await using (var create = new NpgsqlCommand("CREATE EXTENSION IF NOT EXISTS pg_stat_statements", connection))
            {
                await create.ExecuteNonQueryAsync();
            }

            await using var calls = new NpgsqlCommand(
                "SELECT left(regexp_replace(query, '\\s+', ' ', 'g'), 90), sum(calls)::bigint FROM pg_stat_statements " +
                "WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) GROUP BY 1",
                connection);
            var result = new Dictionary<string, long>();
            await using var reader = await calls.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                result[reader.GetString(0)] = result.GetValueOrDefault(reader.GetString(0)) + reader.GetInt64(1);
            }

            return result;
        }
        catch (PostgresException)
        {
            return null; // not preloaded: bench/loadgen/run.sh starts a cluster that preloads it
        }
    }
}
