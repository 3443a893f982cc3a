using LxAnnotate.Node.Hosting;
using LxAnnotate.Node.Outbox;
using LxAnnotate.Node.Tests.Support;
using LxAnnotate.TestSupport;
using Microsoft.Data.Sqlite;

namespace LxAnnotate.Node.Tests.Outbox;

public sealed class OutboxSchemaTests : IDisposable
{
    private readonly TempDirectory root = new();
    private readonly NodeSettings settings;

    public OutboxSchemaTests()
    {
        settings = new NodeSettings
        {
            HubSocketPath = root.Combine("run", "hub.sock"),
            OutboxDir = root.Combine("node", "outbox"),
            OutboxDatabase = root.Combine("node", "outbox.sqlite3"),
        };
        Directory.CreateDirectory(root.Combine("node"));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        root.Dispose();
    }

    [Fact]
    public async Task InitializeAsync_OutboxOfSchema2_UpgradedInPlaceAndItsItemsKept()
    {
        await WriteSchema2OutboxAsync();

        var outbox = await TestOutbox.OpenAsync(settings);

        var item = Assert.Single(await outbox.Store.ListAsync(CancellationToken.None));
        Assert.Equal(OutboxState.Queued, item.State);
        Assert.Equal(root.Combine("node", "outbox", "old.sidecar.json"), item.SidecarPath);
        Assert.Null(item.SidecarHints);
        Assert.Equal(OutboxSchema.Version, await UserVersionAsync());

        // Opening it again (the column is there now) changes nothing.
        var reopened = await TestOutbox.OpenAsync(settings);
        Assert.Single(await reopened.Store.ListAsync(CancellationToken.None));
    }

    [Fact]
    public async Task AdmitAsync_ArtifactWithSidecarHints_StoredWithTheItem()
    {
        var outbox = await TestOutbox.OpenAsync(settings);
        var drop = Directory.CreateDirectory(root.Combine("import", "preanonymized_import")).FullName;
        var file = Path.Combine(drop, "a.txt");
        var sidecar = Path.Combine(drop, "a.json");
        await File.WriteAllTextAsync(file, "text");
        await File.WriteAllTextAsync(sidecar, "{}");
        var hints = new Dictionary<string, string> { ["sidecar.casenumber"] = "C-1", ["sidecar.document_type"] = "report" };

        var (_, id) = await outbox.Intake.AdmitAsync(
            new OutboxArtifact(file, "text/plain", "watcher.preanonymized_import", null, "endoscopy", sidecar, SidecarHints: hints),
            TakeMode.Move,
            CancellationToken.None);

        var item = (await outbox.Store.GetAsync(id, CancellationToken.None))!;
        Assert.Equal(hints, item.SidecarHints);
        Assert.True(File.Exists(item.SidecarPath));
    }

    [Fact]
    public async Task InitializeAsync_OutboxOfANewerNode_Refused()
    {
        await TestOutbox.OpenAsync(settings);
        await ExecuteAsync($"PRAGMA user_version = {OutboxSchema.Version + 1};");
        SqliteConnection.ClearAllPools();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => TestOutbox.OpenAsync(settings));

        Assert.Contains("newer lxa-node", error.Message, StringComparison.Ordinal);
    }

    /// <summary>What lxa-node wrote before the sidecar hints were stored: schema 2, one queued item with a sidecar.</summary>
    private Task WriteSchema2OutboxAsync() => ExecuteAsync($"""
        CREATE TABLE outbox_items (
            id TEXT PRIMARY KEY, state TEXT NOT NULL, stored_path TEXT NOT NULL, sidecar_path TEXT, source_path TEXT NOT NULL,
            original_filename TEXT, content_type TEXT NOT NULL, entrypoint TEXT NOT NULL, center_key TEXT, source_system TEXT NOT NULL,
            sha256 TEXT NOT NULL, size_bytes INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER NOT NULL,
            last_error TEXT, transfer_id TEXT, upload_job_id TEXT, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
        CREATE UNIQUE INDEX ux_outbox_items_content
            ON outbox_items (sha256, size_bytes, content_type, ifnull(center_key, '')) WHERE state <> 'failed';
        CREATE INDEX ix_outbox_items_due ON outbox_items (state, next_attempt_at);
        CREATE TABLE hash_cache (path TEXT PRIMARY KEY, size_bytes INTEGER NOT NULL, inode INTEGER NOT NULL,
            mtime_ns INTEGER NOT NULL, ctime_ns INTEGER NOT NULL, sha256 TEXT NOT NULL);
        INSERT INTO outbox_items (id, state, stored_path, sidecar_path, source_path, original_filename, content_type, entrypoint,
            center_key, source_system, sha256, size_bytes, next_attempt_at, created_at, updated_at)
        VALUES ('{Guid.CreateVersion7()}', 'queued', '{root.Combine("node", "outbox", "old.txt")}', '{root.Combine("node", "outbox", "old.sidecar.json")}',
            '/import/preanonymized_import/old.txt', 'old.txt', 'text/plain', 'watcher.preanonymized_import', NULL, 'endoscopy',
            '{new string('b', 64)}', 4, 0, 0, 0);
        PRAGMA user_version = 2;
        """);

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={settings.OutboxDatabase}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private async Task<long> UserVersionAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={settings.OutboxDatabase}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version;";
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
