using LxAnnotate.Hub.Domain;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.Hub.Data.Configurations;

/// <summary><c>enrollment_tokens</c>: only the hash of a token is stored, unique.</summary>
internal sealed class EnrollmentTokenConfiguration : IEntityTypeConfiguration<EnrollmentToken>
{
    public void Configure(EntityTypeBuilder<EnrollmentToken> token)
    {
        token.ToTable("enrollment_tokens");
        token.Property(t => t.TokenHash).HasMaxLength(64);
        token.Property(t => t.CreatedBy).HasMaxLength(255);
        token.HasIndex(t => t.TokenHash).IsUnique();
        token.HasOne(t => t.Node).WithMany().HasForeignKey(t => t.NodeId).OnDelete(DeleteBehavior.Restrict);
    }
}
