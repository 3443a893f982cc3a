using LxAnnotate.Hub.Domain;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.Hub.Data.Configurations;

/// <summary><c>network_nodes</c>, unique by node key, with the center a node belongs to and its certificates.</summary>
internal sealed class NetworkNodeConfiguration : IEntityTypeConfiguration<NetworkNode>
{
    public void Configure(EntityTypeBuilder<NetworkNode> node)
    {
        node.ToTable("network_nodes");
        node.Property(n => n.NodeKey).HasMaxLength(64);
        node.Property(n => n.DisplayName).HasMaxLength(255);
        node.Property(n => n.Role).HasMaxLength(32);
        node.Property(n => n.SecretHash).HasMaxLength(256);
        node.HasIndex(n => n.NodeKey).IsUnique();
        node.HasOne(n => n.OwningCenter).WithMany().HasForeignKey(n => n.OwningCenterId).OnDelete(DeleteBehavior.Restrict);
        node.HasMany(n => n.Certificates).WithOne(c => c.Node).HasForeignKey(c => c.NodeId).OnDelete(DeleteBehavior.Restrict);
    }
}
