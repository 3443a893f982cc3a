using System.Data.Common;
using System.Text.Json;
using LxAnnotate.Hub.Data;
using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Tests.Support;
using LxAnnotate.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace LxAnnotate.Hub.Tests.Data;

/// <summary>
/// The migration that gives <c>storage_class</c> the original's meaning: rows written before it carried
/// managed/encrypted in <c>storage_class</c>; after it that is in <c>storage_encoding</c> and <c>storage_class</c>
/// (column and provenance) is the original's <c>ingest</c>. Down puts the old meaning back.
/// </summary>
public sealed class StorageEncodingMigrationTests
{
    public static TheoryData<TestDatabaseKind> Databases() => new() { TestDatabaseKind.Sqlite, TestDatabaseKind.PostgreSql };

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Migration_ExistingRows_MoveTheirClassToStorageEncodingAndBack(TestDatabaseKind kind)
    {
        await using var harness = await IngestHarness.CreateAsync(kind);
        var center = await harness.AddCenterAsync("center-a");
        var id = Guid.NewGuid();
        await harness.WithDbAsync(db =>
        {
            db.UploadJobs.Add(Job(id, center.Id));
            return db.SaveChangesAsync();
        });

        var before = await harness.WithDbAsync(async db =>
        {
            var migrations = db.Database.GetMigrations().ToList();
            var mine = migrations.FindIndex(m => m.EndsWith("_UploadJobStorageEncoding", StringComparison.Ordinal));
            await db.GetService<IMigrator>().MigrateAsync(migrations[mine - 1]);
            return await ReadAsync(db, "SELECT storage_class, processing_provenance FROM upload_jobs");
        });
        var after = await harness.WithDbAsync(async db =>
        {
            await db.GetService<IMigrator>().MigrateAsync();
            return await ReadAsync(db, "SELECT storage_class, processing_provenance, storage_encoding FROM upload_jobs");
        });

        Assert.Equal("encrypted", before[0]);
        Assert.Equal("encrypted", ProvenanceClass(before[1]));
        Assert.Equal("ingest", after[0]);
        Assert.Equal("ingest", ProvenanceClass(after[1]));
        Assert.Equal("encrypted", after[2]);
        var job = await harness.WithDbAsync(db => db.UploadJobs.AsNoTracking().SingleAsync(j => j.Id == id));
        Assert.Equal("encrypted", job.StorageEncoding);
        Assert.Equal(UploadStorageClasses.Ingest, job.ProcessingProvenance.StorageClass);
    }

    private static string? ProvenanceClass(string json) =>
        JsonDocument.Parse(json).RootElement.GetProperty("storage_class").GetString();

    private static async Task<string[]> ReadAsync(LxaDbContext db, string sql)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        try
        {
            await using DbCommand command = connection.CreateCommand();
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

    private static UploadJob Job(Guid id, long centerId)
    {
        var hash = new string('e', 64);
        return new UploadJob
        {
            Id = id,
            SourceCenterId = centerId,
            SourceSystem = "api",
            IngestMode = IngestMode.Api,
            ContentType = "application/pdf",
            ContentHash = hash,
            SizeBytes = 1,
            StoragePath = $"centers/center-a/{hash[..2]}/{hash}.pdf.lxenc",
            StorageEncoding = "encrypted",
            StorageClass = UploadStorageClasses.Ingest,
            StorageTier = "upload_api",
            RetentionPolicy = "preserve_source",
            ProcessingProvenance = new ProcessingProvenance
            {
                Entrypoint = "api", IngestMode = "api", SourceSystem = "api", ContentHash = hash,
                SourceCenterKey = "center-a", StorageClass = UploadStorageClasses.Ingest, StorageTier = "upload_api", RetentionPolicy = "preserve_source",
            },
            CreatedAt = DateTimeOffset.UtcNow,
            UpdatedAt = DateTimeOffset.UtcNow,
        };
    }
}
