using LxAnnotate.Hub.Domain;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.Hub.Data.Configurations;

/// <summary><c>processed_artifact</c>: one row per produced file and kind of a job.</summary>
internal sealed class ProcessedArtifactConfiguration : IEntityTypeConfiguration<ProcessedArtifact>
{
    public void Configure(EntityTypeBuilder<ProcessedArtifact> builder)
    {
        builder.ToTable("processed_artifact");
        builder.Property(a => a.Kind).HasMaxLength(32);
        builder.Property(a => a.StorageClass).HasMaxLength(16);
        builder.Property(a => a.RelativePath).HasMaxLength(1024);
        builder.Property(a => a.Sha256).HasMaxLength(64);
        builder.HasIndex(a => new { a.UploadJobId, a.Kind }).IsUnique();
        builder.HasOne<UploadJob>().WithMany().HasForeignKey(a => a.UploadJobId).OnDelete(DeleteBehavior.Restrict);
    }
}
