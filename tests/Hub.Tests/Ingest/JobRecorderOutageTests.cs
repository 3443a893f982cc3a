using System.Security.Cryptography;
using LxAnnotate.Hub.Data;
using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Ingest;
using LxAnnotate.Hub.Storage;
using LxAnnotate.Hub.Tests.Support;
using LxAnnotate.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LxAnnotate.Hub.Tests.Ingest;

/// <summary>
/// A database outage while an artifact's job is recorded: a transfer's partial file (which its sender resumes)
/// stays where it is, so the resumed call completes without the bytes being sent again; any other staged file is
/// removed as before. Nothing is recorded by the failed attempt.
/// </summary>
public sealed class JobRecorderOutageTests
{
    [Theory]
    [InlineData(TestDatabaseKind.Sqlite, true)]
    [InlineData(TestDatabaseKind.Sqlite, false)]
    [InlineData(TestDatabaseKind.PostgreSql, true)]
    [InlineData(TestDatabaseKind.PostgreSql, false)]
    public async Task IngestStagedAsync_OutageWhileInserting_KeepsOnlyAResumablePartialAndRecordsNothing(TestDatabaseKind kind, bool resumable)
    {
        var outage = new JobInsertOutageInterceptor(failures: 1);
        await using var harness = await IngestHarness.CreateAsync(kind, defaultCenter: "center-a", configure: services => services
            .ConfigureDbContext<PostgresLxaDbContext>(o => o.AddInterceptors(outage))
            .ConfigureDbContext<SqliteLxaDbContext>(o => o.AddInterceptors(outage)));
        await harness.AddCenterAsync("center-a");
        var content = RandomNumberGenerator.GetBytes(64 * 1024);
        var staged = await StageAsync(harness, content, resumable);

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => IngestAsync(harness, staged));

        Assert.True(DbErrors.IsUnavailable(failure), failure.ToString());
        Assert.Equal(resumable, File.Exists(staged.Path));
        Assert.Equal(0, await harness.WithDbAsync(db => db.UploadJobs.CountAsync()));
        Assert.Empty(harness.StoredFiles());
        if (!resumable)
        {
            return;
        }

        // The database is back: the same partial file is recorded as it is.
        var result = await IngestAsync(harness, staged);

        Assert.True(result.Created);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), result.Job.ContentHash);
        Assert.False(File.Exists(staged.Path));
        Assert.Single(harness.StoredFiles());
    }

    private static async Task<StagedContent> StageAsync(IngestHarness harness, byte[] content, bool resumable)
    {
        await using var scope = harness.Services.CreateAsyncScope();
        var staged = await scope.ServiceProvider.GetRequiredService<ContentStore>().StageAsync(new MemoryStream(content), long.MaxValue, CancellationToken.None);
        return staged with { KeptOnOutage = resumable };
    }

    private static async Task<IngestResult> IngestAsync(IngestHarness harness, StagedContent staged)
    {
        await using var scope = harness.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IngestService>().IngestStagedAsync(new IngestRequest
        {
            Boundary = IngestMode.Api,
            Entrypoint = "transfer.grpc",
            Caller = CallerIdentity.Anonymous,
            SourceSystem = "endoscopy",
            ContentType = "video/mp4",
            OriginalFilename = "case.mp4",
        }, staged, CancellationToken.None);
    }
}
