using System.Security.Cryptography;
using LxAnnotate.Node.Files;
using LxAnnotate.Node.Hosting;
using LxAnnotate.Node.Outbox;
using LxAnnotate.Node.Tests.Support;
using LxAnnotate.TestSupport;
using Microsoft.Data.Sqlite;

namespace LxAnnotate.Node.Tests.Outbox;

public sealed class OutboxStoreTests : IDisposable
{
    private readonly TempDirectory root = new();
    private readonly NodeSettings settings;
    private readonly string drop;

    public OutboxStoreTests()
    {
        settings = new NodeSettings
        {
            HubSocketPath = root.Combine("run", "hub.sock"),
            OutboxDir = root.Combine("node", "outbox"),
            OutboxDatabase = root.Combine("node", "outbox.sqlite3"),
        };
        drop = Directory.CreateDirectory(root.Combine("import", "report_import")).FullName;
        Directory.CreateDirectory(root.Combine("node"));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        root.Dispose();
    }

    [Fact]
    public async Task AdmitAsync_Move_FileLeavesDropFolderAndIsQueued()
    {
        var outbox = await OpenAsync();
        var content = RandomNumberGenerator.GetBytes(5000);
        var path = Drop("a.pdf", content);

        var (outcome, id) = await outbox.Intake.AdmitAsync(Artifact(path), TakeMode.Move, CancellationToken.None);

        Assert.Equal(AdmitOutcome.Admitted, outcome);
        Assert.False(File.Exists(path));
        var item = (await outbox.Store.GetAsync(id, CancellationToken.None))!;
        Assert.Equal(OutboxState.Queued, item.State);
        Assert.Equal(content, await File.ReadAllBytesAsync(item.StoredPath));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), item.Sha256);
        Assert.Equal("a.pdf", item.OriginalFilename);
    }

    [Fact]
    public async Task AdmitAsync_SameContentDroppedTwice_SecondRemovedAsDuplicate()
    {
        var outbox = await OpenAsync();
        var content = RandomNumberGenerator.GetBytes(100);
        var first = await outbox.Intake.AdmitAsync(Artifact(Drop("a.pdf", content)), TakeMode.Move, CancellationToken.None);
        var secondPath = Drop("b.pdf", content);

        var second = await outbox.Intake.AdmitAsync(Artifact(secondPath), TakeMode.Move, CancellationToken.None);

        Assert.Equal(AdmitOutcome.Duplicate, second.Outcome);
        Assert.Equal(first.ItemId, second.ItemId);
        Assert.False(File.Exists(secondPath));
        Assert.Single(await outbox.Store.ListAsync(CancellationToken.None));
    }

    [Fact]
    public async Task AdmitAsync_Copy_KeepsTheOriginal()
    {
        var outbox = await OpenAsync();
        var path = Drop("keep.pdf", RandomNumberGenerator.GetBytes(100));

        var (_, id) = await outbox.Intake.AdmitAsync(Artifact(path), TakeMode.Copy, CancellationToken.None);

        Assert.True(File.Exists(path));
        Assert.True(File.Exists((await outbox.Store.GetAsync(id, CancellationToken.None))!.StoredPath));
    }

    [Fact]
    public async Task AdmitAsync_CopyOnSameFileSystem_HardLinksTheOriginal()
    {
        var outbox = await OpenAsync();
        var content = RandomNumberGenerator.GetBytes(3000);
        var path = Drop("link.pdf", content);

        var (_, id) = await outbox.Intake.AdmitAsync(Artifact(path), TakeMode.Copy, CancellationToken.None);

        var stored = (await outbox.Store.GetAsync(id, CancellationToken.None))!.StoredPath;
        Assert.Equal(FileIdentity.Of(path)!.Inode, FileIdentity.Of(stored)!.Inode);
        Assert.Equal(content, await File.ReadAllBytesAsync(stored));
        Assert.Equal(content, await File.ReadAllBytesAsync(path));
    }

    [Fact]
    public async Task TakeCopiesAsync_HubAlreadyStores_RecordedDoneAndNothingTaken()
    {
        var outbox = await OpenAsync();
        var content = RandomNumberGenerator.GetBytes(2000);
        var path = Drop("stored.pdf", content);
        var batch = await outbox.Intake.PrepareCopiesAsync([Artifact(path)], 1, CancellationToken.None);
        var asked = Assert.Single(batch.Candidates);
        batch.MarkStored(asked, "job-42");

        var (outcome, id) = (await outbox.Intake.TakeCopiesAsync(batch, 1, CancellationToken.None))[0];

        Assert.Equal(AdmitOutcome.AlreadyStored, outcome);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), asked!.Sha256);
        Assert.Equal(id, asked.Id);
        var item = (await outbox.Store.GetAsync(id, CancellationToken.None))!;
        Assert.Equal(OutboxState.Done, item.State);
        Assert.Equal("job-42", item.UploadJobId);
        Assert.Empty(Directory.GetFiles(settings.OutboxDir));
        Assert.True(File.Exists(path));
    }

    [Fact]
    public async Task TakeCopiesAsync_HubDoesNotStore_TakenWithTheOfferedId()
    {
        var outbox = await OpenAsync();
        var path = Drop("new.pdf", RandomNumberGenerator.GetBytes(2000));
        var batch = await outbox.Intake.PrepareCopiesAsync([Artifact(path)], 1, CancellationToken.None);
        var offeredId = Assert.Single(batch.Candidates).Id;

        var (outcome, id) = (await outbox.Intake.TakeCopiesAsync(batch, 1, CancellationToken.None))[0];

        Assert.Equal(AdmitOutcome.Admitted, outcome);
        Assert.Equal(offeredId, id);
        Assert.Equal(OutboxState.Queued, (await outbox.Store.GetAsync(id, CancellationToken.None))!.State);
    }

    [Fact]
    public async Task HashCachedAsync_UnchangedFile_ServedFromCacheUntilRewritten()
    {
        var outbox = await OpenAsync();
        var path = Drop("cached.pdf", RandomNumberGenerator.GetBytes(4000));
        var first = await outbox.Hashes.HashCachedAsync(path, CancellationToken.None);

        // Mark the cached value: a second call that returns the mark did not hash the file again.
        var mark = new string('a', 64);
        await using (var connection = new SqliteConnection($"Data Source={settings.OutboxDatabase}"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = $"UPDATE hash_cache SET sha256 = '{mark}'";
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }

        var cached = await outbox.Hashes.HashCachedAsync(path, CancellationToken.None);
        var rewritten = RandomNumberGenerator.GetBytes(4000);
        await File.WriteAllBytesAsync(path, rewritten);
        var afterWrite = await outbox.Hashes.HashCachedAsync(path, CancellationToken.None);

        Assert.Equal((mark, 4000L), cached);
        Assert.NotEqual(first.Sha256, afterWrite.Sha256);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(rewritten)), afterWrite.Sha256);
    }

    [Fact]
    public async Task AdmitAsync_SidecarHashMismatch_RefusedAndLeftInPlace()
    {
        var outbox = await OpenAsync();
        var path = Drop("x.txt", [1, 2, 3]);

        await Assert.ThrowsAsync<ArtifactRefusedException>(() =>
            outbox.Intake.AdmitAsync(Artifact(path) with { ExpectedSha256 = new string('0', 64) }, TakeMode.Move, CancellationToken.None));

        Assert.True(File.Exists(path));
        Assert.Empty(await outbox.Store.ListAsync(CancellationToken.None));
    }

    [Theory]
    [InlineData("moved", "queued")]
    [InlineData("not-moved", "queued")]
    [InlineData("vanished", "failed")]
    public async Task InitializeAsync_ItemLeftTakingByACrash_IsRepaired(string where, string expectedState)
    {
        var outbox = await OpenAsync();
        var path = Drop("c.pdf", RandomNumberGenerator.GetBytes(100));
        var (_, id) = await outbox.Intake.AdmitAsync(Artifact(path), TakeMode.Move, CancellationToken.None);
        var item = (await outbox.Store.GetAsync(id, CancellationToken.None))!;

        // Rewind to the moment between "recorded" and "renamed in" (or just after the rename).
        await RewindToTakingAsync();

        if (where == "not-moved")
        {
            File.Move(item.StoredPath, path);
        }
        else if (where == "vanished")
        {
            File.Delete(item.StoredPath);
        }

        outbox.End();
        var reopened = await OpenAsync();
        var repaired = (await reopened.Store.GetAsync(id, CancellationToken.None))!;

        Assert.Equal(expectedState, repaired.State);
        Assert.Equal(expectedState == "queued", File.Exists(repaired.StoredPath));
        Assert.False(File.Exists(path));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task InitializeAsync_PushLeftTakingByACrash_LinksTheFileInAndLeavesTheOperatorsOriginal(bool halfCopied)
    {
        var outbox = await OpenAsync();
        var content = RandomNumberGenerator.GetBytes(3000);
        var path = Drop("pushed.pdf", content);
        var (_, id) = await outbox.Intake.AdmitAsync(Artifact(path) with { Entrypoint = OutboxArtifact.PushEntrypoint }, TakeMode.Copy, CancellationToken.None);
        var item = (await outbox.Store.GetAsync(id, CancellationToken.None))!;

        // Rewind to "recorded, not yet linked in" (with a half-written copy left by the crash, or none).
        await RewindToTakingAsync();

        File.Delete(item.StoredPath);
        if (halfCopied)
        {
            await File.WriteAllBytesAsync(item.StoredPath + ".copying", content[..1000]);
        }

        outbox.End();
        var reopened = await OpenAsync();
        var repaired = (await reopened.Store.GetAsync(id, CancellationToken.None))!;

        Assert.Equal(OutboxState.Queued, repaired.State);
        Assert.Equal(content, await File.ReadAllBytesAsync(path));
        Assert.Equal(content, await File.ReadAllBytesAsync(repaired.StoredPath));
        Assert.False(File.Exists(item.StoredPath + ".copying"));
    }

    [Fact]
    public async Task InitializeAsync_AnotherNodeProcessTakingAFile_LeavesItsTakeAloneUntilNoneRuns()
    {
        var running = await OpenAsync();
        var content = RandomNumberGenerator.GetBytes(3000);
        var path = Drop("pushed.pdf", content);
        var (_, id) = await running.Intake.AdmitAsync(Artifact(path) with { Entrypoint = OutboxArtifact.PushEntrypoint }, TakeMode.Copy, CancellationToken.None);
        var item = (await running.Store.GetAsync(id, CancellationToken.None))!;
        // The running process is mid-take: recorded, its copy half written.
        await RewindToTakingAsync();
        File.Delete(item.StoredPath);
        await File.WriteAllBytesAsync(item.StoredPath + ".copying", content[..1000]);

        var beside = await OpenAsync();
        var untouched = (await beside.Store.GetAsync(id, CancellationToken.None))!;

        Assert.Equal(OutboxState.Taking, untouched.State);
        Assert.Equal(content[..1000], await File.ReadAllBytesAsync(item.StoredPath + ".copying"));
        Assert.False(File.Exists(item.StoredPath));

        running.End();
        beside.End();
        var alone = await OpenAsync();
        var repaired = (await alone.Store.GetAsync(id, CancellationToken.None))!;

        Assert.Equal(OutboxState.Queued, repaired.State);
        Assert.Equal(content, await File.ReadAllBytesAsync(repaired.StoredPath));
        Assert.False(File.Exists(item.StoredPath + ".copying"));
    }

    // What a crash between the two steps of taking leaves in the database.
    private async Task RewindToTakingAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={settings.OutboxDatabase}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE outbox_items SET state = 'taking'";
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task DueAsync_RetryScheduledLater_IsNotDueYet()
    {
        var outbox = await OpenAsync();
        var (_, id) = await outbox.Intake.AdmitAsync(Artifact(Drop("d.pdf", [9])), TakeMode.Move, CancellationToken.None);
        await outbox.Store.ScheduleRetryAsync(id, "Unavailable: hub down", TimeSpan.FromMinutes(5), CancellationToken.None);

        Assert.Empty(await outbox.Store.DueAsync(2, [], null, CancellationToken.None));
        var item = (await outbox.Store.GetAsync(id, CancellationToken.None))!;
        Assert.Equal(1, item.Attempts);
        Assert.Equal("Unavailable: hub down", item.LastError);
    }

    private Task<TestOutbox> OpenAsync() => TestOutbox.OpenAsync(settings);

    private string Drop(string name, byte[] content)
    {
        var path = Path.Combine(drop, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    private static OutboxArtifact Artifact(string path) => new(path, "application/pdf", "watcher.report_import", null, "endoscopy");
}
