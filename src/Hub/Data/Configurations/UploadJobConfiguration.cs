using LxAnnotate.Hub.Domain;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.Hub.Data.Configurations;

/// <summary>
/// <c>upload_jobs</c>, with the partial unique indexes that make dedup a rule of the database; the provenance is
/// stored as JSON in <paramref name="jsonColumnType"/>, the provider's JSON type.
/// </summary>
internal sealed class UploadJobConfiguration(string jsonColumnType) : IEntityTypeConfiguration<UploadJob>
{
    /// <summary>Predicate of the partial unique indexes: failed jobs never block a new upload.</summary>
    internal const string ActiveJobFilter = "status NOT IN ('error', 'lost')";

    public void Configure(EntityTypeBuilder<UploadJob> job)
    {
        job.ToTable("upload_jobs");
        job.Property(j => j.Id).ValueGeneratedNever();
        job.Property(j => j.Status).HasConversion(v => v.ToWire(), v => WireNames.ParseStatus(v)).HasMaxLength(32);
        job.Property(j => j.ErrorCode)
            .HasConversion(new ValueConverter<UploadJobErrorCode, string>(v => v.ToWire(), v => WireNames.ParseErrorCode(v)))
            .HasMaxLength(64);
        job.Property(j => j.IngestMode).HasConversion(v => v.ToWire(), v => WireNames.ParseIngestMode(v)).HasMaxLength(16);
        job.Property(j => j.SourceSystem).HasMaxLength(128);
        job.Property(j => j.ContentType).HasMaxLength(128);
        job.Property(j => j.ContentHash).HasMaxLength(64).IsFixedLength(false);
        job.Property(j => j.IdempotencyKey).HasMaxLength(255);
        job.Property(j => j.OriginalFilename).HasMaxLength(1024);
        job.Property(j => j.StoragePath).HasMaxLength(1024);
        job.Property(j => j.StorageEncoding).HasMaxLength(32);
        job.Property(j => j.StorageClass).HasMaxLength(64);
        job.Property(j => j.StorageTier).HasMaxLength(32);
        job.Property(j => j.RetentionPolicy).HasMaxLength(64);
        job.Property(j => j.ProcessingLeaseOwner).HasMaxLength(255);
        job.Property(j => j.ProcessingProvenance)
            .HasConversion(v => v.ToJson(), v => ProcessingProvenance.FromJson(v))
            .HasColumnType(jsonColumnType);

        job.HasOne(j => j.SourceCenter).WithMany().HasForeignKey(j => j.SourceCenterId).OnDelete(DeleteBehavior.Restrict);

        // Dedup is enforced by the database, not only by code (ARCHITECTURE §5), and scoped to one center.
        job.HasIndex(j => new { j.SourceCenterId, j.ContentType, j.ContentHash })
            .IsUnique()
            .HasFilter(ActiveJobFilter)
            .HasDatabaseName("ux_upload_jobs_active_content");
        job.HasIndex(j => new { j.SourceCenterId, j.SourceSystem, j.IngestMode, j.IdempotencyKey })
            .IsUnique()
            .HasFilter("idempotency_key IS NOT NULL AND " + ActiveJobFilter)
            .HasDatabaseName("ux_upload_jobs_active_idempotency");
        job.HasIndex(j => new { j.Status, j.NextRetryAt }).HasDatabaseName("ix_upload_jobs_status_next_retry");

        // An offer without SHA-256 asks whether the center holds content of its size and type (TransferSessions).
        job.HasIndex(j => new { j.SourceCenterId, j.SizeBytes, j.ContentType })
            .HasFilter(ActiveJobFilter)
            .HasDatabaseName("ix_upload_jobs_active_size");
        UploadJobProcessingConfiguration.Configure(job);
    }
}
