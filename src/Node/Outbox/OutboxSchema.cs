using System.Globalization;
using Microsoft.Data.Sqlite;

namespace LxAnnotate.Node.Outbox;

/// <summary>
/// Creates the outbox tables and brings an outbox written by an older <c>lxa-node</c> up to date, in place:
/// an existing outbox keeps its items across an upgrade. The version is SQLite's <c>user_version</c>.
/// </summary>
internal static class OutboxSchema
{
    /// <summary>2: the hash cache; 3: the sidecar's provenance hints stored with the item.</summary>
    public const int Version = 3;

    public static async Task EnsureAsync(SqliteConnection connection, string databasePath, CancellationToken cancellationToken)
    {
        await OutboxDatabase.ExecuteAsync(connection, "PRAGMA journal_mode=WAL;", cancellationToken);
        var version = await ScalarAsync(connection, "PRAGMA user_version;", cancellationToken);
        if (version > Version)
        {
            throw new InvalidOperationException($"The outbox {databasePath} was written by a newer lxa-node (schema {version}).");
        }

        await OutboxDatabase.ExecuteAsync(connection, """
            CREATE TABLE IF NOT EXISTS outbox_items (
                id TEXT PRIMARY KEY,
                state TEXT NOT NULL,
                stored_path TEXT NOT NULL,
                sidecar_path TEXT,
                source_path TEXT NOT NULL,
                original_filename TEXT,
                content_type TEXT NOT NULL,
                entrypoint TEXT NOT NULL,
                center_key TEXT,
                source_system TEXT NOT NULL,
                sha256 TEXT NOT NULL,
                size_bytes INTEGER NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at INTEGER NOT NULL,
                last_error TEXT,
                transfer_id TEXT,
                upload_job_id TEXT,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL,
                sidecar_hints TEXT);
            CREATE UNIQUE INDEX IF NOT EXISTS ux_outbox_items_content
                ON outbox_items (sha256, size_bytes, content_type, ifnull(center_key, '')) WHERE state <> 'failed';
            CREATE INDEX IF NOT EXISTS ix_outbox_items_due ON outbox_items (state, next_attempt_at);
            CREATE TABLE IF NOT EXISTS hash_cache (
                path TEXT PRIMARY KEY,
                size_bytes INTEGER NOT NULL,
                inode INTEGER NOT NULL,
                mtime_ns INTEGER NOT NULL,
                ctime_ns INTEGER NOT NULL,
                sha256 TEXT NOT NULL);
            """, cancellationToken);

        // Schema 3 (an outbox_items table created by schema 2 lacks the column). Checked by the column itself,
        // not by the version, so a crash between the two statements is finished on the next start. Rows from
        // before keep NULL there: the sender reads their sidecar file instead (Sync.SidecarHints).
        if (await ScalarAsync(connection, "SELECT count(*) FROM pragma_table_info('outbox_items') WHERE name = 'sidecar_hints'", cancellationToken) == 0)
        {
            await OutboxDatabase.ExecuteAsync(connection, "ALTER TABLE outbox_items ADD COLUMN sidecar_hints TEXT;", cancellationToken);
        }

        await OutboxDatabase.ExecuteAsync(connection, $"PRAGMA user_version = {Version.ToString(CultureInfo.InvariantCulture)};", cancellationToken);
    }

    private static async Task<int> ScalarAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }
}
