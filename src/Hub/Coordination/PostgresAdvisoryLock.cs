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

    private PostgresAdvisoryLock(NpgsqlConnection connection) => this.connection = connection;

    /// <param name="connectionString">The hub's connection string; pooling is turned off here, so closing ends the session.</param>
    /// <param name="applicationName">Shown in <c>pg_stat_activity</c>, so the holder of a lock can be named.</param>
    public static async Task<PostgresAdvisoryLock?> TryAcquireAsync(string connectionString, string applicationName, long key, CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, ApplicationName = applicationName };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock($1)", connection);
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = key });
            if (await command.ExecuteScalarAsync(cancellationToken) is true)
            {
                return new PostgresAdvisoryLock(connection);
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

    /// <summary>Closing the unpooled connection ends the session, which releases the lock.</summary>
    public ValueTask DisposeAsync() => connection.DisposeAsync();
}
