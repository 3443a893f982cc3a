using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Ingest;
using LxAnnotate.Hub.Tests.Support;
using LxAnnotate.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.Hub.Tests.Ingest;

/// <summary><c>IngestAsync</c> of content or an idempotency key seen before: one job and one file, also under concurrency.</summary>
public sealed class IngestServiceDedupTests : IngestServiceTestBase
{
    [Theory]
    [MemberData(nameof(Databases))]
    public async Task IngestAsync_SameContentTwice_ReusesJobAndKeepsOneFile(TestDatabaseKind kind)
    {
        await using var harness = await IngestHarness.CreateAsync(kind, defaultCenter: "center-a");
        await harness.AddCenterAsync("center-a");
        var bytes = RandomBytes(4096);

        var first = await harness.IngestAsync(Request(), bytes);
        var second = await harness.IngestAsync(Request(sourceSystem: "other-system"), bytes);

        Assert.True(first.Created);
        Assert.False(second.Created);
        Assert.Equal(first.Job.Id, second.Job.Id);
        Assert.Single(harness.StoredFiles());
        Assert.Empty(harness.StagedFiles());
        Assert.Equal(1, await harness.WithDbAsync(db => db.UploadJobs.CountAsync()));
        Assert.Contains(harness.Logs.Lines, l => l.Message.Contains("job_reused", StringComparison.Ordinal) && l.Message.Contains("content_hash", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task IngestAsync_SameIdempotencyKey_SameBytesReuseTheJobOtherBytesAreRefused(TestDatabaseKind kind)
    {
        await using var harness = await IngestHarness.CreateAsync(kind, defaultCenter: "center-a");
        await harness.AddCenterAsync("center-a");
        var bytes = RandomBytes(1000);

        var first = await harness.IngestAsync(Request(idempotencyKey: "req-1"), bytes);
        var second = await harness.IngestAsync(Request(idempotencyKey: "req-1"), bytes);
        var conflict = await Assert.ThrowsAsync<IngestRejectedException>(
            () => harness.IngestAsync(Request(idempotencyKey: "req-1"), RandomBytes(1000)));
        var otherKey = await harness.IngestAsync(Request(idempotencyKey: "req-2"), RandomBytes(1000));

        Assert.False(second.Created);
        Assert.Equal(first.Job.Id, second.Job.Id);
        Assert.Equal(IngestRejectionReason.IdempotencyConflict, conflict.Reason);
        Assert.Contains("req-1", conflict.Message, StringComparison.Ordinal);
        Assert.True(otherKey.Created);
        Assert.Equal(2, harness.StoredFiles().Count);
        Assert.Empty(harness.StagedFiles());
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task IngestAsync_ContentOfFailedJob_CreatesNewJob(TestDatabaseKind kind)
    {
        await using var harness = await IngestHarness.CreateAsync(kind, defaultCenter: "center-a");
        await harness.AddCenterAsync("center-a");
        var bytes = RandomBytes(512);
        var first = await harness.IngestAsync(Request(), bytes);
        await harness.WithDbAsync(async db =>
        {
            var job = await db.UploadJobs.SingleAsync(j => j.Id == first.Job.Id);
            job.TransitionTo(UploadJobStatus.Error, DateTimeOffset.UtcNow, UploadJobErrorCode.MediaIntegrityFailed, "no video stream");
            return await db.SaveChangesAsync();
        });

        var second = await harness.IngestAsync(Request(), bytes);

        Assert.True(second.Created);
        Assert.NotEqual(first.Job.Id, second.Job.Id);
        Assert.Single(harness.StoredFiles());
    }

    /// <summary>Ten rounds in a row, each with new content, so a rare interleaving has ten chances to show.</summary>
    [Theory]
    [MemberData(nameof(Databases))]
    public async Task IngestAsync_TwentyParallelIngestsOfSameContent_OneJobOneFile(TestDatabaseKind kind)
    {
        await using var harness = await IngestHarness.CreateAsync(kind, defaultCenter: "center-a");
        await harness.AddCenterAsync("center-a");

        for (var round = 1; round <= 10; round++)
        {
            var bytes = RandomBytes(256 * 1024);
            using var start = new ManualResetEventSlim();
            var tasks = Enumerable.Range(0, 20)
                .Select(_ => Task.Run(async () =>
                {
                    start.Wait(TimeSpan.FromSeconds(30));
                    return await harness.IngestAsync(Request(), bytes);
                }))
                .ToList();
            start.Set();
            var results = await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromMinutes(2));

            Assert.Single(results, r => r.Created);
            var jobId = Assert.Single(results.Select(r => r.Job.Id).Distinct());
            Assert.Equal(round, await harness.WithDbAsync(db => db.UploadJobs.CountAsync()));
            Assert.Equal(round, harness.StoredFiles().Count);
            var job = await harness.WithDbAsync(db => db.UploadJobs.SingleAsync(j => j.Id == jobId));
            Assert.Equal(bytes, await File.ReadAllBytesAsync(Path.Combine(harness.Settings.Paths.StorageDir, job.StoragePath)));
            Assert.Empty(harness.StagedFiles());
        }
    }
}
