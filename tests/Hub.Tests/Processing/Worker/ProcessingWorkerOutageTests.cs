using LxAnnotate.Hub.Data;
using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Processing.Worker;
using LxAnnotate.Hub.Tests.Support;
using LxAnnotate.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LxAnnotate.Hub.Tests.Processing.Worker;

/// <summary>The worker's result write while the database is briefly away (a restart, a failover to a standby).</summary>
public sealed class ProcessingWorkerOutageTests
{
    [Theory]
    [InlineData(TestDatabaseKind.PostgreSql)]
    [InlineData(TestDatabaseKind.Sqlite)]
    public async Task RunOnceAsync_ResultWriteFailsTwiceAsUnavailable_WrittenOnTheThirdAttempt(TestDatabaseKind kind)
    {
        var outage = new CompletionOutageInterceptor(failures: 2);
        await using var harness = await ProcessingHarness.CreateAsync(kind, s => s
            .ConfigureDbContext<PostgresLxaDbContext>(o => o.AddInterceptors(outage))
            .ConfigureDbContext<SqliteLxaDbContext>(o => o.AddInterceptors(outage)));
        var id = await harness.AddJobAsync();
        File.Delete(Path.Join(harness.StorageDir, (await harness.JobAsync(id)).StoragePath));

        var worked = await harness.Services.GetRequiredService<ProcessingWorker>().RunOnceAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));

        // The outcome (the stored file is gone) was not thrown away with the failed writes: no second claim needed.
        Assert.True(worked);
        Assert.Equal(3, outage.Failed);
        var job = await harness.JobAsync(id);
        Assert.Equal((UploadJobStatus.Lost, 1L, (string?)null), (job.Status, job.ProcessingLeaseToken, job.ProcessingLeaseOwner));
        Assert.Equal(2, harness.Logs.Lines.Count(l => l.Message.StartsWith("queue access failed", StringComparison.Ordinal)));
    }
}
