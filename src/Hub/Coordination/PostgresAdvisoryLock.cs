using System.Collections.Concurrent;
using System.Diagnostics;
using Npgsql;

namespace LxAnnotate.Hub.Coordination;

/// <summary>
/// A session-level <c>pg_try_advisory_lock</c> on a connection of its own, outside the pool: the lock lives exactly
/// as long as that session, so it is released when the lock is disposed and also when the process dies (the server
/// ends the session when the socket closes).
/// </summary>
internal sealed class PostgresAdvisoryLock : IHeldLock
{
    private readonly LockSessions sessions;
    private readonly NpgsqlConnection connection;
    private readonly long key;

    private PostgresAdvisoryLock(LockSessions sessions, NpgsqlConnection connection, long key)
    {
        this.sessions = sessions;
        this.connection = connection;
        this.key = key;
    }

    /// <summary>One set of lock sessions per connection string and session name (a hub has two: transfer and lease).</summary>
    private static readonly ConcurrentDictionary<(string, string), LockSessions> Sessions = new();

    /// <param name="connectionString">The hub's connection string; pooling is turned off here, so closing ends the session.</param>
    /// <param name="applicationName">Shown in <c>pg_stat_activity</c>, so the holder of a lock can be named.</param>
    public static async Task<PostgresAdvisoryLock?> TryAcquireAsync(string connectionString, string applicationName, long key, CancellationToken cancellationToken)
    {
        var sessions = Sessions.GetOrAdd((connectionString, applicationName), k => new LockSessions(k.Item1, k.Item2));
        if (sessions.TryTakeIdle() is { } idle)
        {
            try
            {
                return await TryLockAsync(sessions, idle, key, cancellationToken);
            }
            catch (NpgsqlException)
            {
                // The server ended the idle session (restart, failover, idle timeout): a new session decides instead.
            }
        }

        return await TryLockAsync(sessions, await sessions.OpenAsync(cancellationToken), key, cancellationToken);
    }

    private static async Task<PostgresAdvisoryLock?> TryLockAsync(LockSessions sessions, NpgsqlConnection connection, long key, CancellationToken cancellationToken)
    {
        bool locked;
        try
        {
            await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock($1)", connection);
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = key });
            locked = await command.ExecuteScalarAsync(cancellationToken) is true;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        if (locked)
        {
            return new PostgresAdvisoryLock(sessions, connection, key);
        }

        // The session holds no lock: the next acquisition may use it.
        await sessions.ReturnAsync(connection);
        return null;
    }

    public System.Data.Common.DbConnection Session => connection;

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
    /// Unlocks before letting the session go: the server ends a closed session on its own time, and a stream resuming
    /// right after this one must find the lock free. Only a session whose unlock succeeded, and so holds no lock, is
    /// kept for the next acquisition; if the unlock fails the session is broken, and closing ends it anyway.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        var unlocked = false;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock($1)", connection);
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = key });
            unlocked = await command.ExecuteScalarAsync(timeout.Token) is true;
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or OperationCanceledException)
        {
            // Closing the unpooled connection below ends the session, which releases the lock.
        }

        if (unlocked)
        {
            await sessions.ReturnAsync(connection);
        }
        else
        {
            await connection.DisposeAsync();
        }
    }

    /// <summary>
    /// The unpooled sessions of one connection string and name. Opening one costs a server process (fork,
    /// authentication, TLS when configured) on every transfer; a session that holds no lock any more is therefore
    /// kept open for the next one, at most <see cref="MaxIdle"/> of them and each for at most <see cref="MaxIdleTime"/>.
    /// </summary>
    private sealed class LockSessions
    {
        public const int MaxIdle = 8;
        public static readonly TimeSpan MaxIdleTime = TimeSpan.FromSeconds(30);

        private readonly NpgsqlDataSource dataSource;
        private readonly ConcurrentQueue<(NpgsqlConnection Connection, long Since)> idle = new();
        private int idleCount;

        /// <summary>
        /// Unpooled, so closing a connection ends its session and its locks. The lock sessions need only built-in types:
        /// without loading the server's type catalog, opening one is cheaper and the hub keeps no second copy of it.
        /// </summary>
        public LockSessions(string connectionString, string applicationName)
        {
            var builder = new NpgsqlDataSourceBuilder(connectionString);
            builder.ConnectionStringBuilder.Pooling = false;
            builder.ConnectionStringBuilder.ApplicationName = applicationName;
            builder.ConfigureTypeLoading(t => t.EnableTypeLoading(false));
            dataSource = builder.Build();
        }

        public async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
        {
            var connection = dataSource.CreateConnection();
            try
            {
                await connection.OpenAsync(cancellationToken);
                return connection;
            }
            catch
            {
                await connection.DisposeAsync();
                throw;
            }
        }

        /// <summary>An open idle session, or null; sessions idle too long are closed on the way.</summary>
        public NpgsqlConnection? TryTakeIdle()
        {
            while (idle.TryDequeue(out var entry))
            {
                Interlocked.Decrement(ref idleCount);
                if (Stopwatch.GetElapsedTime(entry.Since) < MaxIdleTime && entry.Connection.FullState == System.Data.ConnectionState.Open)
                {
                    return entry.Connection;
                }

                entry.Connection.Dispose();
            }

            return null;
        }

        /// <summary>Keeps a session that holds no advisory lock for the next acquisition, or closes it when enough are kept.</summary>
        public async ValueTask ReturnAsync(NpgsqlConnection connection)
        {
            if (Interlocked.Increment(ref idleCount) <= MaxIdle)
            {
                idle.Enqueue((connection, Stopwatch.GetTimestamp()));
                return;
            }

            Interlocked.Decrement(ref idleCount);
            await connection.DisposeAsync();
        }
    }
}
