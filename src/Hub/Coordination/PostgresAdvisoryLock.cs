using Npgsql;

namespace LxAnnotate.Hub.Coordination;

/// <summary>
/// A session-level <c>pg_try_advisory_lock</c> on a connection of its own, outside the pool: the lock lives exactly
/// as long as that session, so it is released when the lock is disposed and also when the process dies (the server
/// ends the session when the socket closes).
/// </summary>
internal sealed class PostgresAdvisoryLock : IHeldLock
{
    private readonly NpgsqlConnection connection;
    private readonly long key;

    private PostgresAdvisoryLock(NpgsqlConnection connection, long key)
    {
        this.connection = connection;
        this.key = key;
    }

    /// <summary>One data source per connection string and session name (a hub has two: transfer and lease).</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string, string), NpgsqlDataSource> DataSources = new();

    /// <param name="connectionString">The hub's connection string; pooling is turned off here, so closing ends the session.</param>
    /// <param name="applicationName">Shown in <c>pg_stat_activity</c>, so the holder of a lock can be named.</param>
    public static async Task<PostgresAdvisoryLock?> TryAcquireAsync(string connectionString, string applicationName, long key, CancellationToken cancellationToken)
    {
        var connection = DataSources.GetOrAdd((connectionString, applicationName), CreateDataSource).CreateConnection();
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock($1)", connection);
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = key });
            if (await command.ExecuteScalarAsync(cancellationToken) is true)
            {
                return new PostgresAdvisoryLock(connection, key);
            }
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        await connection.DisposeAsync();
        return null;
    }

    public async Task<bool> StillHeldAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            await command.ExecuteScalarAsync(cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            // The session is gone, and the lock with it.
            return false;
        }
    }

    /// <summary>
    /// Unlocks before closing: the server ends a closed session on its own time, and a stream resuming right after
    /// this one must find the lock free. If the unlock fails the session is broken, and closing ends it anyway.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock($1)", connection);
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = key });
            await command.ExecuteScalarAsync(timeout.Token);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or OperationCanceledException)
        {
            // Closing the unpooled connection below ends the session, which releases the lock.
        }

        await connection.DisposeAsync();
    }

    /// <summary>
    /// Unpooled, so closing a connection ends its session and its locks. The lock sessions need only built-in types:
    /// without loading the server's type catalog, opening one is cheaper and the hub keeps no second copy of it.
    /// </summary>
    private static NpgsqlDataSource CreateDataSource((string ConnectionString, string ApplicationName) key)
    {
        var builder = new NpgsqlDataSourceBuilder(key.ConnectionString);
        builder.ConnectionStringBuilder.Pooling = false;
        builder.ConnectionStringBuilder.ApplicationName = key.ApplicationName;
        builder.ConfigureTypeLoading(t => t.EnableTypeLoading(false));
        return builder.Build();
    }
}
