using LxAnnotate.Hub.Domain;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.Hub.Data.Configurations;

/// <summary>Table <c>hub_transfer_jobs</c>: one row per Python-era hub transfer, unique by transfer key.</summary>
internal sealed class HubTransferJobConfiguration : IEntityTypeConfiguration<HubTransferJob>
{
    public void Configure(EntityTypeBuilder<HubTransferJob> job)
    {
        job.ToTable("hub_transfer_jobs");
        job.Property(j => j.Id).ValueGeneratedNever();
        job.Property(j => j.TransferKey).HasMaxLength(512);
        job.Property(j => j.SourceNodeKey).HasMaxLength(64);
        job.Property(j => j.TargetNodeKey).HasMaxLength(64);
        job.Property(j => j.SourceCenterKey).HasMaxLength(64);
        job.Property(j => j.ResourceKind).HasMaxLength(16);
        job.Property(j => j.ResourceHash).HasMaxLength(64);
        job.Property(j => j.TransferMode).HasMaxLength(64);
        job.Property(j => j.ProcessingPolicy).HasMaxLength(64);
        job.Property(j => j.ProcessingIntent).HasMaxLength(64);
        job.Property(j => j.CleanupPolicy).HasMaxLength(64);
        job.Property(j => j.PayloadSchemaVersion).HasMaxLength(8);
        job.Property(j => j.ProcessedMediaHash).HasMaxLength(64);
        job.Property(j => j.TransferStatus).HasConversion(v => v.ToWire(), v => HubTransferStatusNames.Parse(v)).HasMaxLength(32);
        job.Property(j => j.ProcessingDecision).HasMaxLength(64);
        job.Property(j => j.CleanupStatus).HasMaxLength(64);
        job.Property(j => j.StatusDetail).HasMaxLength(1024);
        job.Property(j => j.CaseResolutionStatus).HasMaxLength(64);
        job.Property(j => j.EnvelopeFingerprint).HasMaxLength(64);
        job.Property(j => j.ReceivedMediaSha256).HasMaxLength(64);
        job.HasIndex(j => j.TransferKey).IsUnique();
        job.HasOne<UploadJob>().WithMany().HasForeignKey(j => j.UploadJobId).OnDelete(DeleteBehavior.Restrict);
    }
}
