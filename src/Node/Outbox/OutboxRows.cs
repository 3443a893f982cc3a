using System.Text.Json;
using LxAnnotate.Node.Hosting;
using Microsoft.Data.Sqlite;

namespace LxAnnotate.Node.Outbox;

/// <summary>How an <see cref="OutboxItem"/> is written to and read from <c>outbox_items</c>.</summary>
internal static class OutboxRows
{
    /// <summary>
    /// Records <paramref name="item"/> as it is (state, sidecar, upload job). With <paramref name="orIgnore"/> a row
    /// for content the outbox already holds is skipped (returns false); without it that is a constraint error.
    /// </summary>
    public static async Task<bool> InsertAsync(SqliteConnection connection, OutboxItem item, long now, bool orIgnore, CancellationToken cancellationToken)
    {
        var inserted = await OutboxDatabase.ExecuteAsync(connection, $"""
            INSERT {(orIgnore ? "OR IGNORE " : "")}INTO outbox_items (id, state, stored_path, sidecar_path, sidecar_hints, source_path, original_filename,
                content_type, entrypoint, center_key, source_system, sha256, size_bytes, upload_job_id, next_attempt_at, created_at, updated_at)
            VALUES ($id, $state, $stored, $sidecar, $hints, $source, $name, $type, $entry, $center, $system, $sha, $size, $job, $now, $now, $now)
            """, cancellationToken,
            ("$id", item.Id.ToString()), ("$state", item.State), ("$stored", item.StoredPath), ("$sidecar", item.SidecarPath),
            ("$hints", item.SidecarHints is null ? null : JsonSerializer.Serialize(item.SidecarHints, NodeJsonContext.Default.IReadOnlyDictionaryStringString)), ("$source", item.SourcePath),
            ("$name", item.OriginalFilename), ("$type", item.ContentType), ("$entry", item.Entrypoint), ("$center", item.CenterKey),
            ("$system", item.SourceSystem), ("$sha", item.Sha256), ("$size", item.SizeBytes), ("$job", item.UploadJobId), ("$now", now));
        return inserted > 0;
    }

    /// <summary>The item (not failed) that holds this content for this center, if any: the outbox's dedup.</summary>
    public static async Task<OutboxItem?> FindActiveAsync(SqliteConnection connection, string sha256, long size, string contentType, string? centerKey, CancellationToken cancellationToken)
    {
        var items = await QueryAsync(connection, """
            SELECT * FROM outbox_items WHERE sha256 = $sha AND size_bytes = $size AND content_type = $type
                AND ifnull(center_key, '') = $center AND state <> 'failed' LIMIT 1
            """, [("$sha", sha256), ("$size", size), ("$type", contentType), ("$center", centerKey ?? "")], cancellationToken);
        return items.Count == 0 ? null : items[0];
    }

    public static async Task<IReadOnlyList<OutboxItem>> QueryAsync(SqliteConnection connection, string sql, (string Name, object? Value)[] parameters, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        var items = new List<OutboxItem>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(Read(reader));
        }

        return items;
    }

    private static OutboxItem Read(SqliteDataReader reader)
    {
        string? Text(string column) => reader.IsDBNull(reader.GetOrdinal(column)) ? null : reader.GetString(reader.GetOrdinal(column));
        DateTimeOffset Time(string column) => DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(reader.GetOrdinal(column)));
        return new OutboxItem
        {
            Id = Guid.Parse(Text("id")!),
            State = Text("state")!,
            StoredPath = Text("stored_path")!,
            SidecarPath = Text("sidecar_path"),
            SidecarHints = Text("sidecar_hints") is { } hints ? JsonSerializer.Deserialize(hints, NodeJsonContext.Default.DictionaryStringString) : null,
            SourcePath = Text("source_path")!,
            OriginalFilename = Text("original_filename"),
            ContentType = Text("content_type")!,
            Entrypoint = Text("entrypoint")!,
            CenterKey = Text("center_key"),
            SourceSystem = Text("source_system")!,
            Sha256 = Text("sha256")!,
            SizeBytes = reader.GetInt64(reader.GetOrdinal("size_bytes")),
            Attempts = reader.GetInt32(reader.GetOrdinal("attempts")),
            NextAttemptAt = Time("next_attempt_at"),
            LastError = Text("last_error"),
            TransferId = Text("transfer_id"),
            UploadJobId = Text("upload_job_id"),
            CreatedAt = Time("created_at"),
            UpdatedAt = Time("updated_at"),
        };
    }
}
