using System.Collections.Concurrent;
using System.Security.Cryptography;
using LxAnnotate.Node.Hosting;
using LxAnnotate.Node.Outbox;
using LxAnnotate.Node.Tests.Support;
using LxAnnotate.TestSupport;
using Microsoft.Data.Sqlite;

namespace LxAnnotate.Node.Tests.Outbox;

/// <summary>Taking many files at once (push) and the group commit of item updates.</summary>
public sealed class OutboxIntakeCopiesTests : IDisposable
{
    private readonly TempDirectory root = new();
    private readonly NodeSettings settings;
    private readonly string drop;

    public OutboxIntakeCopiesTests()
    {
        settings = new NodeSettings
        {
            HubSocketPath = root.Combine("run", "hub.sock"),
            OutboxDir = root.Combine("node", "outbox"),
            OutboxDatabase = root.Combine("node", "outbox.sqlite3"),
        };
        drop = Directory.CreateDirectory(root.Combine("push")).FullName;
        Directory.CreateDirectory(root.Combine("node"));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        root.Dispose();
    }

    [Fact]
    public async Task TakeCopiesAsync_ManyFiles_AllQueuedLinkedInAndOriginalsKept()
    {
        var outbox = await OpenAsync();
        var contents = Enumerable.Range(0, 40).Select(_ => RandomNumberGenerator.GetBytes(3000)).ToList();
        var paths = contents.Select((c, i) => Drop($"r{i}.pdf", c)).ToList();

        var results = await outbox.AdmitCopiesAsync([.. paths.Select(Artifact)], 8);

        Assert.Equal(40, results.Count);
        Assert.All(results, r => Assert.Equal(AdmitOutcome.Admitted, r.Outcome));
        Assert.Equal(40, results.Select(r => r.ItemId).Distinct().Count());
        for (var i = 0; i < 40; i++)
        {
            var item = (await outbox.Store.GetAsync(results[i].ItemId, CancellationToken.None))!;
            Assert.Equal(OutboxState.Queued, item.State);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(contents[i])), item.Sha256);
            Assert.Equal(contents[i], await File.ReadAllBytesAsync(item.StoredPath));
            Assert.True(File.Exists(paths[i]), "push keeps the operator's file");
        }
    }

    [Fact]
    public async Task TakeCopiesAsync_SameContentTwiceAndAlreadyInOutbox_DuplicatesPointAtTheHoldingItem()
    {
        var outbox = await OpenAsync();
        var held = RandomNumberGenerator.GetBytes(1000);
        var twice = RandomNumberGenerator.GetBytes(1000);
        var (_, heldId) = await outbox.Intake.AdmitAsync(Artifact(Drop("held.pdf", held)), TakeMode.Copy, CancellationToken.None);

        var results = await outbox.AdmitCopiesAsync(
            [Artifact(Drop("again.pdf", held)), Artifact(Drop("a.pdf", twice)), Artifact(Drop("b.pdf", twice))], 4);

        Assert.Equal((AdmitOutcome.Duplicate, heldId), results[0]);
        Assert.Equal(AdmitOutcome.Admitted, results[1].Outcome);
        Assert.Equal((AdmitOutcome.Duplicate, results[1].ItemId), results[2]);
        Assert.Equal(2, (await outbox.Store.ListAsync(CancellationToken.None)).Count);
        Assert.Equal(2, Directory.GetFiles(settings.OutboxDir).Length);
    }

    [Fact]
    public async Task TakeCopiesAsync_HubStoresSome_ThoseDoneWithNothingTakenOthersQueued()
    {
        var outbox = await OpenAsync();
        var stored = Drop("stored.pdf", RandomNumberGenerator.GetBytes(2000));
        var fresh = Drop("fresh.pdf", RandomNumberGenerator.GetBytes(2000));
        var asked = new ConcurrentBag<Guid>();

        var batch = await outbox.Intake.PrepareCopiesAsync([Artifact(stored), Artifact(fresh)], 4, CancellationToken.None);
        foreach (var item in batch.Candidates)
        {
            asked.Add(item.Id);
            if (item.SourcePath == stored)
            {
                batch.MarkStored(item, "job-7");
            }
        }

        var results = await outbox.Intake.TakeCopiesAsync(batch, 4, CancellationToken.None);

        Assert.Equal(AdmitOutcome.AlreadyStored, results[0].Outcome);
        Assert.Equal(AdmitOutcome.Admitted, results[1].Outcome);
        Assert.Equal(new[] { results[0].ItemId, results[1].ItemId }.Order(), asked.Order());
        var done = (await outbox.Store.GetAsync(results[0].ItemId, CancellationToken.None))!;
        Assert.Equal(OutboxState.Done, done.State);
        Assert.Equal("job-7", done.UploadJobId);
        Assert.False(File.Exists(done.StoredPath));
        Assert.Equal(OutboxState.Queued, (await outbox.Store.GetAsync(results[1].ItemId, CancellationToken.None))!.State);
    }

    [Fact]
    public async Task TakeCopiesAsync_FileHashed_ItsHashIsCachedByIdentity()
    {
        var outbox = await OpenAsync();
        var path = Drop("cached.pdf", RandomNumberGenerator.GetBytes(2000));

        // Already stored at the hub: nothing is linked, so the file's identity (ctime included) stays as hashed.
        var batch = await outbox.Intake.PrepareCopiesAsync([Artifact(path)], 2, CancellationToken.None);
        batch.MarkStored(batch.Candidates[0], "job-1");
        var first = await outbox.Intake.TakeCopiesAsync(batch, 2, CancellationToken.None);
        Assert.Equal(AdmitOutcome.AlreadyStored, first[0].Outcome);

        // A cached hash is trusted while the identity holds: a changed cache entry proves the lookup is used.
        await using (var connection = new SqliteConnection($"Data Source={settings.OutboxDatabase}"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE hash_cache SET sha256 = $sha";
            command.Parameters.AddWithValue("$sha", new string('a', 64));
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }

        Assert.Equal((new string('a', 64), 2000L), await outbox.Hashes.HashCachedAsync(path, CancellationToken.None));
    }

    [Fact]
    public async Task MarkDoneAsync_ManyConcurrentUpdates_EachDurableWhenItsCallReturns()
    {
        var outbox = await OpenAsync();
        var results = await outbox.AdmitCopiesAsync(
            [.. Enumerable.Range(0, 30).Select(i => Artifact(Drop($"m{i}.pdf", RandomNumberGenerator.GetBytes(500))))], 8);

        await Task.WhenAll(results.Select((r, i) => outbox.Store.MarkDoneAsync(r.ItemId, $"job-{i}", CancellationToken.None))).WaitAsync(TimeSpan.FromSeconds(60));

        // A new store (no shared state) reads what was committed.
        SqliteConnection.ClearAllPools();
        var reopened = await OpenAsync();
        for (var i = 0; i < results.Count; i++)
        {
            var item = (await reopened.Store.GetAsync(results[i].ItemId, CancellationToken.None))!;
            Assert.Equal(OutboxState.Done, item.State);
            Assert.Equal($"job-{i}", item.UploadJobId);
        }
    }

    [Fact]
    public async Task MarkDoneAsync_CommitFails_CallerSeesTheError()
    {
        var outbox = await OpenAsync();
        var (_, id) = await outbox.Intake.AdmitAsync(Artifact(Drop("x.pdf", [1, 2, 3])), TakeMode.Copy, CancellationToken.None);
        await using (var connection = new SqliteConnection($"Data Source={settings.OutboxDatabase}"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "DROP TABLE outbox_items";
            await command.ExecuteNonQueryAsync();
        }

        await Assert.ThrowsAsync<SqliteException>(() => outbox.Store.MarkDoneAsync(id, "job-1", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60)));
    }

    private Task<TestOutbox> OpenAsync() => TestOutbox.OpenAsync(settings);

    private string Drop(string name, byte[] content)
    {
        var path = Path.Combine(drop, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    private static OutboxArtifact Artifact(string path) => new(path, "application/pdf", "cli.push", null, "endoscopy");
}
