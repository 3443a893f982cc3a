using LxAnnotate.Hub.Domain;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.Hub.Data.Configurations;

/// <summary><c>centers</c>, unique by center key.</summary>
internal sealed class CenterConfiguration : IEntityTypeConfiguration<Center>
{
    public void Configure(EntityTypeBuilder<Center> center)
    {
        center.ToTable("centers");
        center.Property(c => c.CenterKey).HasMaxLength(64);
        center.Property(c => c.Name).HasMaxLength(255);
        center.Property(c => c.DisplayName).HasMaxLength(255);
        center.HasIndex(c => c.CenterKey).IsUnique();
    }
}
