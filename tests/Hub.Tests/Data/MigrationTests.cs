using System.Text.Json;
using LxAnnotate.Hub.Data;
using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Tests.Support;
using LxAnnotate.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;

namespace LxAnnotate.Hub.Tests.Data;

public sealed class MigrationTests
{
    public static TheoryData<TestDatabaseKind> Databases() => new() { TestDatabaseKind.Sqlite, TestDatabaseKind.PostgreSql };

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task MigrateAsync_SecondRun_AppliesNothing(TestDatabaseKind kind)
    {
        // The harness has migrated the empty database once already.
        await using var harness = await IngestHarness.CreateAsync(kind);
        await using var scope = harness.Services.CreateAsyncScope();
        var migrator = scope.ServiceProvider.GetRequiredService<DatabaseMigrator>();

        var applied = await migrator.MigrateAsync(CancellationToken.None);

        Assert.Empty(applied);
        Assert.True(await migrator.IsCurrentAsync(CancellationToken.None));
        var db = scope.ServiceProvider.GetRequiredService<LxaDbContext>();
        Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Schema_TwoActiveJobsWithSameContent_AreRefusedByTheDatabase(TestDatabaseKind kind)
    {
        await using var harness = await IngestHarness.CreateAsync(kind);
        var center = await harness.AddCenterAsync("center-a");

        var ex = await Assert.ThrowsAsync<DbUpdateException>(() => harness.WithDbAsync(db =>
        {
            db.UploadJobs.Add(Job(center.Id, idempotencyKey: null));
            db.UploadJobs.Add(Job(center.Id, idempotencyKey: null));
            return db.SaveChangesAsync();
        }));
        // PostgreSQL names the index; SQLite names its columns.
        var expected = kind == TestDatabaseKind.PostgreSql ? "ux_upload_jobs_active_content" : "upload_jobs.content_hash";
        Assert.Contains(expected, ex.InnerException!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Schema_TwoActiveJobsWithSameIdempotencyKey_AreRefusedByTheDatabase(TestDatabaseKind kind)
    {
        await using var harness = await IngestHarness.CreateAsync(kind);
        var center = await harness.AddCenterAsync("center-a");

        await Assert.ThrowsAsync<DbUpdateException>(() => harness.WithDbAsync(db =>
        {
            db.UploadJobs.Add(Job(center.Id, idempotencyKey: "k", hash: new string('1', 64)));
            db.UploadJobs.Add(Job(center.Id, idempotencyKey: "k", hash: new string('2', 64)));
            return db.SaveChangesAsync();
        }));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Schema_SameContentWhenOneJobFailed_IsAllowed(TestDatabaseKind kind)
    {
        await using var harness = await IngestHarness.CreateAsync(kind);
        var center = await harness.AddCenterAsync("center-a");

        var saved = await harness.WithDbAsync(db =>
        {
            var failed = Job(center.Id, idempotencyKey: "k");
            failed.TransitionTo(UploadJobStatus.Lost, DateTimeOffset.UtcNow, UploadJobErrorCode.SourceMissing);
            db.UploadJobs.Add(failed);
            db.UploadJobs.Add(Job(center.Id, idempotencyKey: "k"));
            return db.SaveChangesAsync();
        });

        Assert.Equal(2, saved);
    }

    /// <summary>
    /// UploadJobStorageEncoding: rows written before it had managed/encrypted in storage_class; after it that is in
    /// storage_encoding and storage_class (column and provenance) is the original's ingest. Down puts it back.
    /// </summary>
    [Theory]
    [MemberData(nameof(Databases))]
    public async Task StorageEncodingMigration_ExistingRows_MoveTheirClassToStorageEncodingAndBack(TestDatabaseKind kind)
    {
        await using var harness = await IngestHarness.CreateAsync(kind);
        var center = await harness.AddCenterAsync("center-a");
        var job = Job(center.Id, idempotencyKey: null);
        await harness.WithDbAsync(db =>
        {
            db.UploadJobs.Add(job);
            return db.SaveChangesAsync();
        });

        var before = await harness.WithDbAsync(async db =>
        {
            var migrations = db.Database.GetMigrations().ToList();
            var mine = migrations.FindIndex(m => m.EndsWith("_UploadJobStorageEncoding", StringComparison.Ordinal));
            await db.GetService<IMigrator>().MigrateAsync(migrations[mine - 1]);
            return await ReadRowAsync(db, "SELECT storage_class, processing_provenance FROM upload_jobs");
        });
        var after = await harness.WithDbAsync(async db =>
        {
            await db.GetService<IMigrator>().MigrateAsync();
            return await ReadRowAsync(db, "SELECT storage_class, processing_provenance, storage_encoding FROM upload_jobs");
        });

        Assert.Equal(["managed", "managed"], [before[0], ProvenanceClass(before[1])]);
        Assert.Equal(["ingest", "ingest", "managed"], [after[0], ProvenanceClass(after[1]), after[2]]);
        var read = await harness.WithDbAsync(db => db.UploadJobs.AsNoTracking().SingleAsync(j => j.Id == job.Id));
        Assert.Equal("managed", read.StorageEncoding);
        Assert.Equal(UploadStorageClasses.Ingest, read.ProcessingProvenance.StorageClass);
    }

    private static string ProvenanceClass(string json) =>
        JsonDocument.Parse(json).RootElement.GetProperty("storage_class").GetString() ?? "";

    private static async Task<string[]> ReadRowAsync(LxaDbContext db, string sql)
    {
        await db.Database.OpenConnectionAsync();
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = sql;
            await using var reader = await command.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            return Enumerable.Range(0, reader.FieldCount).Select(reader.GetString).ToArray();
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static UploadJob Job(long centerId, string? idempotencyKey, string? hash = null)
    {
        hash ??= new string('c', 64);
        return new UploadJob
        {
            Id = Guid.NewGuid(),
            SourceCenterId = centerId,
            SourceSystem = "test",
            IngestMode = IngestMode.Api,
            ContentType = "application/pdf",
            ContentHash = hash,
            SizeBytes = 1,
            IdempotencyKey = idempotencyKey,
            StoragePath = $"centers/center-a/{hash[..2]}/{hash}.pdf",
            StorageEncoding = "managed",
            StorageClass = "ingest",
            StorageTier = "standard",
            RetentionPolicy = "clinical_default",
            ProcessingProvenance = new ProcessingProvenance
            {
                Entrypoint = "test", IngestMode = "api", SourceSystem = "test", ContentHash = hash,
                SourceCenterKey = "center-a", StorageClass = "ingest", StorageTier = "standard", RetentionPolicy = "clinical_default",
            },
            CreatedAt = DateTimeOffset.UtcNow,
            UpdatedAt = DateTimeOffset.UtcNow,
        };
    }
}
