using LxAnnotate.Hub.Domain;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.Hub.Data.Configurations;

/// <summary><c>network_node_certificates</c>, unique by SHA-256 thumbprint; the status is stored by its wire name.</summary>
internal sealed class NodeCertificateConfiguration : IEntityTypeConfiguration<NodeCertificate>
{
    public void Configure(EntityTypeBuilder<NodeCertificate> cert)
    {
        cert.ToTable("network_node_certificates");
        cert.Property(c => c.ThumbprintSha256).HasMaxLength(64);
        cert.Property(c => c.SerialNumber).HasMaxLength(128);
        cert.Property(c => c.Subject).HasMaxLength(1024);
        cert.Property(c => c.RevocationReason).HasMaxLength(1024);
        cert.Property(c => c.Status).HasConversion(
                v => v.ToWire(),
                v => WireNames.ParseCertificateStatus(v))
            .HasMaxLength(16);
        cert.HasIndex(c => c.ThumbprintSha256).IsUnique();
    }
}
