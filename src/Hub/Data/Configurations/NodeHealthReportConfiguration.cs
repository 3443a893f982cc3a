using LxAnnotate.Hub.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LxAnnotate.Hub.Data.Configurations;

/// <summary><c>network_node_health</c>: the latest heartbeat of each node, keyed by the node (deleted with it).</summary>
internal sealed class NodeHealthReportConfiguration : IEntityTypeConfiguration<NodeHealthReport>
{
    public void Configure(EntityTypeBuilder<NodeHealthReport> health)
    {
        health.ToTable("network_node_health");
        health.HasKey(h => h.NodeId);
        health.HasOne(h => h.Node).WithOne().HasForeignKey<NodeHealthReport>(h => h.NodeId).OnDelete(DeleteBehavior.Cascade);
        health.Property(h => h.NodeId).ValueGeneratedNever();
        health.Property(h => h.LastErrorClass).HasMaxLength(64);
        health.Property(h => h.NodeVersion).HasMaxLength(64);
        health.Property(h => h.CertificateThumbprint).HasMaxLength(64);
    }
}
