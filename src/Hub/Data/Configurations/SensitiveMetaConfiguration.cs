using LxAnnotate.Hub.Domain;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.Hub.Data.Configurations;

/// <summary><c>sensitive_meta</c>: one row per job at most.</summary>
internal sealed class SensitiveMetaConfiguration : IEntityTypeConfiguration<SensitiveMeta>
{
    public void Configure(EntityTypeBuilder<SensitiveMeta> builder)
    {
        builder.ToTable("sensitive_meta");
        builder.Property(m => m.Source).HasMaxLength(16);
        builder.Property(m => m.FirstName).HasMaxLength(255);
        builder.Property(m => m.LastName).HasMaxLength(255);
        builder.Property(m => m.EndoscopeType).HasMaxLength(255);
        builder.Property(m => m.EndoscopeSn).HasMaxLength(255);
        builder.Property(m => m.Gender).HasMaxLength(16);
        builder.Property(m => m.FieldQuality).HasMaxLength(4096);
        builder.Property(m => m.PatientHash).HasMaxLength(64);
        builder.Property(m => m.ExaminationHash).HasMaxLength(64);
        builder.Property(m => m.ValuesPath).HasMaxLength(1024);
        builder.HasIndex(m => m.UploadJobId).IsUnique();
        builder.HasIndex(m => m.PatientHash);
        builder.HasOne<UploadJob>().WithMany().HasForeignKey(m => m.UploadJobId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Center>().WithMany().HasForeignKey(m => m.CenterId).OnDelete(DeleteBehavior.Restrict);
    }
}
