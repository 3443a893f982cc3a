using LxAnnotate.Node.Hosting;
using Microsoft.Data.Sqlite;

namespace LxAnnotate.Node.Outbox;

/// <summary>
/// Connections to the outbox's SQLite file (WAL, synchronous=FULL) and the statement helpers every part of
/// the outbox uses, so the state machine, the intake and the hash cache share one durability setting.
/// </summary>
internal sealed class OutboxDatabase(NodeSettings settings)
{
    public string Path => settings.OutboxDatabase;

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = settings.OutboxDatabase,
            Mode = SqliteOpenMode.ReadWriteCreate,
            DefaultTimeout = 30,
            Pooling = true,
        }.ToString());
        await connection.OpenAsync(cancellationToken);

        // Durable commits in WAL mode: an item recorded as taken must survive a power cut.
        await ExecuteAsync(connection, "PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000;", cancellationToken);
        return connection;
    }

    public static async Task<int> ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Runs <paramref name="body"/> as one transaction (one durable commit, one fsync of the WAL). Plain
    /// <c>BEGIN IMMEDIATE</c>/<c>COMMIT</c>, so the store's helpers run their commands inside it unchanged.
    /// </summary>
    public static async Task InTransactionAsync(SqliteConnection connection, Func<Task> body, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, "BEGIN IMMEDIATE", cancellationToken);
        try
        {
            await body();
            await ExecuteAsync(connection, "COMMIT", CancellationToken.None);
        }
        catch
        {
            try
            {
                await ExecuteAsync(connection, "ROLLBACK", CancellationToken.None);
            }
            catch (SqliteException)
            {
                // SQLite already rolled back (some errors end the transaction themselves); the original error counts.
            }

            throw;
        }
    }
}
