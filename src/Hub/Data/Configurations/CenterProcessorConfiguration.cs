using LxAnnotate.Hub.Domain;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.Hub.Data.Configurations;

/// <summary><c>center_processors</c>: which centers use which processor, one default per center.</summary>
internal sealed class CenterProcessorConfiguration : IEntityTypeConfiguration<CenterProcessor>
{
    public void Configure(EntityTypeBuilder<CenterProcessor> builder)
    {
        builder.ToTable("center_processors");
        builder.HasKey(cp => new { cp.CenterId, cp.ProcessorId });
        builder.HasOne(cp => cp.Center).WithMany().HasForeignKey(cp => cp.CenterId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(cp => cp.Processor).WithMany(p => p.Centers).HasForeignKey(cp => cp.ProcessorId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(cp => cp.CenterId)
            .IsUnique()
            .HasFilter("is_default")
            .HasDatabaseName("ux_center_processors_default");
    }
}
