using LxAnnotate.Hub.Ingest;
using LxAnnotate.Hub.Tests.Support;
using LxAnnotate.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.Hub.Tests.Ingest;

/// <summary><c>IngestManyAsync</c>: one outcome per item, in order, and one job per content across concurrent batches.</summary>
public sealed class IngestServiceBatchTests : IngestServiceTestBase
{
    [Theory]
    [MemberData(nameof(Databases))]
    public async Task IngestManyAsync_MixedItems_EachGetsItsOwnOutcomeInOrder(TestDatabaseKind kind)
    {
        await using var harness = await IngestHarness.CreateAsync(kind, defaultCenter: "center-a");
        await harness.AddCenterAsync("center-a");
        var stored = RandomBytes(3000);
        var storedJob = (await harness.IngestAsync(Request(), stored)).Job;
        // Holds the key k-1: a later item with that key and other bytes is refused, not answered with this job.
        await harness.IngestAsync(Request(idempotencyKey: "k-1"), RandomBytes(2000));
        var a = RandomBytes(50_000);
        var d = RandomBytes(7000);
        IngestItem[] items =
        [
            new(Request(), a),
            new(Request(sourceSystem: "other-system"), stored),
            new(Request(idempotencyKey: "k-1"), RandomBytes(1000)),
            new(Request(), a),
            new(Request() with { ExpectedSha256 = new string('0', 64) }, RandomBytes(100)),
            new(Request(sourceSystem: "bad system"), RandomBytes(100)),
            new(Request(), RandomBytes(5000)),
            new(Request(idempotencyKey: "k-2"), d),
        ];

        var outcomes = await harness.IngestManyAsync(items, maxBytes: 4096 * 16);
        var tooLarge = await harness.IngestManyAsync([new IngestItem(Request(), RandomBytes(5000))], maxBytes: 4096);

        Assert.Equal(items.Length, outcomes.Count);
        Assert.True(outcomes[0].Result!.Created);
        Assert.Equal(Sha256Hex(a), outcomes[0].Result!.Job.ContentHash);
        Assert.Equal((storedJob.Id, false), (outcomes[1].Result!.Job.Id, outcomes[1].Result!.Created));
        Assert.Equal(IngestRejectionReason.IdempotencyConflict, outcomes[2].Rejection!.Reason);
        Assert.Contains("k-1", outcomes[2].Rejection!.Message, StringComparison.Ordinal);
        Assert.Null(outcomes[2].Result);
        Assert.Equal((outcomes[0].Result!.Job.Id, false), (outcomes[3].Result!.Job.Id, outcomes[3].Result!.Created));
        Assert.Equal(IngestRejectionReason.IntegrityMismatch, outcomes[4].Rejection!.Reason);
        Assert.Null(outcomes[4].Result);
        Assert.Equal(IngestRejectionReason.InvalidInput, outcomes[5].Rejection!.Reason);
        Assert.Contains("source_system", outcomes[5].Rejection!.Message, StringComparison.Ordinal);
        Assert.True(outcomes[6].Result!.Created);
        Assert.True(outcomes[7].Result!.Created);
        Assert.Equal("k-2", outcomes[7].Result!.Job.IdempotencyKey);
        Assert.Equal(IngestRejectionReason.TooLarge, Assert.Single(tooLarge).Rejection!.Reason);

        Assert.Equal(5, await harness.WithDbAsync(db => db.UploadJobs.CountAsync()));
        Assert.Equal(5, harness.StoredFiles().Count);
        Assert.Empty(harness.StagedFiles());
        var jobA = await harness.WithDbAsync(db => db.UploadJobs.SingleAsync(j => j.Id == outcomes[0].Result!.Job.Id));
        Assert.Equal(a, await File.ReadAllBytesAsync(Path.Combine(harness.Settings.Paths.StorageDir, jobA.StoragePath)));
        Assert.Equal(5, harness.Logs.Lines.Count(l => l.Category == "LxAnnotate.Audit" && l.Message.Contains("job_created", StringComparison.Ordinal)));
    }

    /// <summary>
    /// Three batches with the same six contents in different orders at once, ten rounds: their transactions meet on
    /// the unique indexes (and, on PostgreSQL, may deadlock), and the losers record their items one at a time.
    /// </summary>
    [Theory]
    [MemberData(nameof(Databases))]
    public async Task IngestManyAsync_ConcurrentBatchesOfSameContent_OneJobAndOneFilePerContent(TestDatabaseKind kind)
    {
        await using var harness = await IngestHarness.CreateAsync(kind, defaultCenter: "center-a");
        await harness.AddCenterAsync("center-a");

        for (var round = 1; round <= 10; round++)
        {
            var contents = Enumerable.Range(0, 6).Select(_ => RandomBytes(20_000)).ToList();
            using var start = new ManualResetEventSlim();
            var batches = Enumerable.Range(0, 3)
                .Select(b => contents.Select((c, i) => (c, i)).OrderBy(x => (x.i * (b + 2)) % 7).Select(x => x.c).ToList())
                .Select(batch => Task.Run(async () =>
                {
                    start.Wait(TimeSpan.FromSeconds(30));
                    var outcomes = await harness.IngestManyAsync(batch.ConvertAll(c => new IngestItem(Request(), c)));
                    return batch.Zip(outcomes, (content, outcome) => (Hash: Sha256Hex(content), outcome.Result!));
                }))
                .ToList();
            start.Set();
            var results = (await Task.WhenAll(batches).WaitAsync(TimeSpan.FromMinutes(2))).SelectMany(r => r).ToList();

            foreach (var perContent in results.GroupBy(r => r.Hash))
            {
                Assert.Equal(3, perContent.Count());
                Assert.Single(perContent, r => r.Item2.Created);
                Assert.Single(perContent.Select(r => r.Item2.Job.Id).Distinct());
                Assert.Equal(perContent.Key, perContent.First().Item2.Job.ContentHash);
            }

            Assert.Equal(6 * round, await harness.WithDbAsync(db => db.UploadJobs.CountAsync()));
            Assert.Equal(6 * round, harness.StoredFiles().Count);
            Assert.Empty(harness.StagedFiles());
        }

        Assert.Contains(harness.Logs.Lines, l => l.Message.Contains("recorded one at a time", StringComparison.Ordinal));
    }
}
