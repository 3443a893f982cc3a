using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Processing.Pipeline;
using LxAnnotate.Hub.Processing.Sensitive;
using LxAnnotate.Hub.Processing.Worker;
using LxAnnotate.Hub.Tests.Support;
using LxAnnotate.TestSupport;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace LxAnnotate.Hub.Tests.Processing.Worker;

public sealed class JobQueueTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(TestDatabaseKind.PostgreSql)]
    [InlineData(TestDatabaseKind.Sqlite)]
    public async Task ClaimAsync_FourWorkersAtOnce_EveryJobClaimedExactlyOnce(TestDatabaseKind kind)
    {
        await using var harness = await ProcessingHarness.CreateAsync(kind);
        var jobs = new List<Guid>();
        for (var i = 0; i < 12; i++)
        {
            jobs.Add(await harness.AddJobAsync());
        }

        async Task<List<JobLease>> WorkerAsync(string owner)
        {
            var claimed = new List<JobLease>();
            for (var i = 0; i < 20; i++)
            {
                var lease = await harness.ClaimAsync(owner);
                if (lease is null)
                {
                    break;
                }

                claimed.Add(lease);
            }

            return claimed;
        }

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => Task.Run(() => WorkerAsync("worker-" + i)))).WaitAsync(Timeout);
        var all = results.SelectMany(r => r).ToList();

        Assert.Equal(jobs.Order(), all.Select(l => l.JobId).Order());
        Assert.All(all, l => Assert.Equal(1, l.Token));
        foreach (var lease in all)
        {
            var job = await harness.JobAsync(lease.JobId);
            Assert.Equal(UploadJobStatus.Processing, job.Status);
            Assert.Equal(lease.Owner, job.ProcessingLeaseOwner);
            Assert.Equal(harness.Clock.Now + harness.Settings.LeaseDuration, job.ProcessingLeaseExpiresAt);
        }
    }

    [Fact]
    public async Task ClaimAsync_RowLockedByAnotherTransaction_SkipsItWithoutWaiting()
    {
        await using var harness = await ProcessingHarness.CreateAsync(TestDatabaseKind.PostgreSql);
        var first = await harness.AddJobAsync();
        harness.Clock.Advance(TimeSpan.FromSeconds(1));
        var second = await harness.AddJobAsync();
        var connectionString = await harness.WithDbAsync(db => Task.FromResult(db.Database.GetConnectionString()!));

        await using var other = new NpgsqlConnection(connectionString);
        await other.OpenAsync();
        await using var transaction = await other.BeginTransactionAsync();
        await using (var lockRow = new NpgsqlCommand("SELECT id FROM upload_jobs WHERE id = @id FOR UPDATE", other, transaction))
        {
            lockRow.Parameters.AddWithValue("id", first);
            await lockRow.ExecuteScalarAsync();
        }

        var lease = await harness.ClaimAsync("worker-a").WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(second, lease!.JobId);
        await transaction.RollbackAsync();
        Assert.Equal(first, (await harness.ClaimAsync("worker-a").WaitAsync(Timeout))!.JobId);
    }

    [Theory]
    [InlineData(TestDatabaseKind.PostgreSql)]
    [InlineData(TestDatabaseKind.Sqlite)]
    public async Task CompleteAsync_LeaseExpiredAndReclaimed_OldWorkerCannotWrite(TestDatabaseKind kind)
    {
        await using var harness = await ProcessingHarness.CreateAsync(kind);
        var id = await harness.AddJobAsync();
        var first = (await harness.ClaimAsync("worker-a"))!;

        Assert.Null(await harness.ClaimAsync("worker-b"));
        harness.Clock.Advance(harness.Settings.LeaseDuration + TimeSpan.FromSeconds(1));
        var second = (await harness.ClaimAsync("worker-b"))!;

        Assert.Equal(id, second.JobId);
        Assert.Equal(2, second.Token);
        Assert.False(await harness.QueueAsync(q => q.HeartbeatAsync(first, harness.Settings.LeaseDuration, CancellationToken.None)));
        Assert.Null(await harness.CompleteAsync(first, new ProcessingOutcome(UploadJobStatus.Error, UploadJobErrorCode.MediaIntegrityFailed, "late result")));
        var after = await harness.JobAsync(id);
        Assert.Equal(UploadJobStatus.Processing, after.Status);
        Assert.Equal("worker-b", after.ProcessingLeaseOwner);
        Assert.Equal(1, after.RetryCount);

        var done = await harness.CompleteAsync(second, new ProcessingOutcome(UploadJobStatus.Anonymized));

        Assert.Equal(UploadJobStatus.Anonymized, done!.Status);
        var final = await harness.JobAsync(id);
        Assert.Equal(UploadJobStatus.Anonymized, final.Status);
        Assert.Null(final.ErrorCode);
        Assert.Null(final.ProcessingLeaseOwner);
        Assert.Null(await harness.CompleteAsync(first, new ProcessingOutcome(UploadJobStatus.Anonymized)));
    }

    [Theory]
    [InlineData(TestDatabaseKind.PostgreSql)]
    [InlineData(TestDatabaseKind.Sqlite)]
    public async Task CompleteAsync_RetryableFailures_30sThen60sThenError(TestDatabaseKind kind)
    {
        await using var harness = await ProcessingHarness.CreateAsync(kind);
        var id = await harness.AddJobAsync();
        var failure = new ProcessingOutcome(UploadJobStatus.Error, UploadJobErrorCode.ProcessingFailed, "ffprobe did not finish", Retryable: true);

        var first = await harness.CompleteAsync((await harness.ClaimAsync("w"))!, failure);
        Assert.Equal(UploadJobStatus.Retrying, first!.Status);
        Assert.Equal(harness.Clock.Now.AddSeconds(30), first.NextRetryAt);
        harness.Clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Null(await harness.ClaimAsync("w"));
        harness.Clock.Advance(TimeSpan.FromSeconds(1));

        var second = await harness.CompleteAsync((await harness.ClaimAsync("w"))!, failure);
        Assert.Equal(UploadJobStatus.Retrying, second!.Status);
        Assert.Equal(harness.Clock.Now.AddSeconds(60), second.NextRetryAt);
        harness.Clock.Advance(TimeSpan.FromSeconds(60));

        var third = await harness.CompleteAsync((await harness.ClaimAsync("w"))!, failure);
        Assert.Equal(UploadJobStatus.Error, third!.Status);
        var job = await harness.JobAsync(id);
        Assert.Equal((UploadJobStatus.Error, UploadJobErrorCode.ProcessingFailed, "ffprobe did not finish", 2), (job.Status, job.ErrorCode, job.ErrorDetail, job.RetryCount));
        Assert.Null(job.NextRetryAt);
        harness.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Null(await harness.ClaimAsync("w"));
    }

    [Theory]
    [InlineData(TestDatabaseKind.PostgreSql)]
    [InlineData(TestDatabaseKind.Sqlite)]
    public async Task CompleteAsync_PermanentFailure_ErrorAtOnce(TestDatabaseKind kind)
    {
        await using var harness = await ProcessingHarness.CreateAsync(kind);
        var id = await harness.AddJobAsync();

        var done = await harness.CompleteAsync((await harness.ClaimAsync("w"))!,
            new ProcessingOutcome(UploadJobStatus.Error, UploadJobErrorCode.MediaIntegrityFailed, "the file has no video stream"));

        Assert.Equal(UploadJobStatus.Error, done!.Status);
        var job = await harness.JobAsync(id);
        Assert.Equal((UploadJobErrorCode.MediaIntegrityFailed, 0), (job.ErrorCode!.Value, job.RetryCount));
    }

    [Theory]
    [InlineData(TestDatabaseKind.PostgreSql)]
    [InlineData(TestDatabaseKind.Sqlite)]
    public async Task ReleaseAsync_GracefulStop_JobDueAgainAtOnceWithoutUsingAnAttempt(TestDatabaseKind kind)
    {
        await using var harness = await ProcessingHarness.CreateAsync(kind);
        var id = await harness.AddJobAsync();
        var lease = (await harness.ClaimAsync("w1"))!;

        Assert.True(await harness.QueueAsync(q => q.ReleaseAsync(lease, CancellationToken.None)));

        var job = await harness.JobAsync(id);
        Assert.Equal((UploadJobStatus.Retrying, 0, (string?)null), (job.Status, job.RetryCount, job.ProcessingLeaseOwner));
        var again = await harness.ClaimAsync("w2");
        Assert.Equal((id, 2L), (again!.JobId, again.Token));
    }

    [Theory]
    [InlineData(TestDatabaseKind.PostgreSql)]
    [InlineData(TestDatabaseKind.Sqlite)]
    public async Task CompleteAsync_CenterNamedOtherThanItsKey_HashesTheNameAsTheOriginal(TestDatabaseKind kind)
    {
        // The original hashes center.name; the vector is the original's algorithm run with /usr/bin/python3 (see
        // SensitiveHashesTests.Hashes_OriginalsVectors_Equal), for the center's name, not its key "center-a".
        await using var harness = await ProcessingHarness.CreateAsync(kind);
        await harness.WithDbAsync(async db =>
        {
            var center = await db.Centers.SingleAsync(c => c.CenterKey == ProcessingHarness.Center);
            center.Name = "Universitätsklinikum Würzburg";
            return await db.SaveChangesAsync();
        });
        var id = await harness.AddJobAsync();
        var values = new SensitiveValues("ocr", "Jürgen", "Müller", new DateOnly(1956, 3, 7), new DateOnly(2024, 11, 2), null, null, null);

        await harness.CompleteAsync((await harness.ClaimAsync("w"))!, new ProcessingOutcome(UploadJobStatus.Anonymized, SensitiveMeta: values));

        var meta = await harness.WithDbAsync(db => db.SensitiveMetas.AsNoTracking().SingleAsync(m => m.UploadJobId == id));
        Assert.Equal("fa43c6054f5cb42757afc31375774449460260fa2f593cac23e9e5b6486d644f", meta.PatientHash);
        Assert.Equal("0a2bcee796f469643d1af5e362ab158f0bfbce9191e640174906d854177a64fe", meta.ExaminationHash);
    }

    [Theory]
    [InlineData(TestDatabaseKind.PostgreSql)]
    [InlineData(TestDatabaseKind.Sqlite)]
    public async Task CompleteAsync_AnonymizedWithValues_StoresSensitiveMetaWithHashes(TestDatabaseKind kind)
    {
        await using var harness = await ProcessingHarness.CreateAsync(kind);
        var id = await harness.AddJobAsync();
        var values = new SensitiveValues("ocr", "Jürgen", "Müller", new DateOnly(1956, 3, 7), new DateOnly(2024, 11, 2), new TimeOnly(9, 30), "CF-HQ190L", "2901234");
        var media = new VideoMediaInfo(1920, 1080, 12.5, 50, 625, "h264", "yuv420p", 8_000_000);

        var done = await harness.CompleteAsync((await harness.ClaimAsync("w"))!,
            new ProcessingOutcome(UploadJobStatus.Anonymized, MediaInfo: media, ProcessedVideoHash: new string('a', 64), SensitiveMeta: values));

        var meta = await harness.WithDbAsync(db => db.SensitiveMetas.AsNoTracking().SingleAsync(m => m.UploadJobId == id));
        Assert.Equal(done!.SensitiveMetaId, meta.Id);
        Assert.Equal(("Jürgen", "Müller", new DateOnly(1956, 3, 7), "2901234"), (meta.FirstName!, meta.LastName!, meta.DateOfBirth!.Value, meta.EndoscopeSn!));
        Assert.Equal(SensitiveHashes.PatientHash("Jürgen", "Müller", new DateOnly(1956, 3, 7), ProcessingHarness.Center, ProcessingHarness.Salt), meta.PatientHash);
        Assert.Equal(SensitiveHashes.ExaminationHash("Jürgen", "Müller", new DateOnly(1956, 3, 7), ProcessingHarness.Center, new DateOnly(2024, 11, 2), ProcessingHarness.Salt), meta.ExaminationHash);
        var job = await harness.JobAsync(id);
        Assert.Equal(media, job.MediaInfo);
        Assert.Equal(new string('a', 64), job.ProcessedVideoHash);
        Assert.Equal(harness.Clock.Now, job.ProcessedAt);
    }
}
