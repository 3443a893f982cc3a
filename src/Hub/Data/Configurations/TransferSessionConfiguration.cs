using LxAnnotate.Hub.Domain;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.Hub.Data.Configurations;

/// <summary><c>transfers</c>: the resume state of a gRPC transfer, at most one open per sender and content (declared SHA-256 and size).</summary>
internal sealed class TransferSessionConfiguration : IEntityTypeConfiguration<TransferSession>
{
    public void Configure(EntityTypeBuilder<TransferSession> transfer)
    {
        transfer.ToTable("transfers");
        transfer.Property(t => t.Id).ValueGeneratedNever();
        transfer.Property(t => t.State).HasConversion(v => v.ToWire(), v => WireNames.ParseTransferState(v)).HasMaxLength(16);
        transfer.Property(t => t.IngestMode).HasConversion(v => v.ToWire(), v => WireNames.ParseIngestMode(v)).HasMaxLength(16);
        transfer.Property(t => t.Sha256).HasMaxLength(64);
        transfer.Property(t => t.ContentType).HasMaxLength(128);
        transfer.Property(t => t.OriginalFilename).HasMaxLength(1024);
        transfer.Property(t => t.SourceSystem).HasMaxLength(128);
        transfer.Property(t => t.IdempotencyKey).HasMaxLength(255);
        transfer.Property(t => t.DeclaredCenterKey).HasMaxLength(64);
        transfer.Property(t => t.Error).HasMaxLength(1024);
        transfer.Property(t => t.SenderNodeKey).HasMaxLength(64);
        transfer.HasOne<Center>().WithMany().HasForeignKey(t => t.CenterId).OnDelete(DeleteBehavior.Restrict);
        transfer.HasOne<UploadJob>().WithMany().HasForeignKey(t => t.UploadJobId).OnDelete(DeleteBehavior.Restrict);

        // One open transfer per sender and content: a re-offer resumes it instead of starting over.
        transfer.HasIndex(t => new { t.CenterId, t.SenderNodeKey, t.Sha256, t.SizeBytes })
            .IsUnique()
            .HasFilter("state = 'open'")
            .HasDatabaseName("ux_transfers_open_content");
        transfer.HasIndex(t => new { t.State, t.UpdatedAt }).HasDatabaseName("ix_transfers_state_updated");

        // Transfers offered without SHA-256 (null until the trailer) are found again by their sender's key and size.
        transfer.HasIndex(t => new { t.CenterId, t.SenderNodeKey, t.IdempotencyKey, t.SizeBytes })
            .HasFilter("state = 'open' AND sha256 IS NULL")
            .HasDatabaseName("ix_transfers_open_hash_later");
    }
}
